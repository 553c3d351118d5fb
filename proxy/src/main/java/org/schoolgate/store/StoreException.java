package org.schoolgate.store;

/** A failure of the store itself (the disk, the database), unchecked so it can cross CompletableFuture boundaries. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(Throwable cause) {
    super(cause.getMessage(), cause);
  }
}
