package org.schoolgate.store;

/**
 * The database cannot be reached (refused, dropped, shutting down): nothing of the transaction
 * was kept, and the same work may succeed once it is back. The admin API answers 503.
 */
public final class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(Throwable cause) {
    super("the database cannot be reached: " + cause.getMessage(), cause);
  }
}
