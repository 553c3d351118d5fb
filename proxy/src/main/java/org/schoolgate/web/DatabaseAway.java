package org.schoolgate.web;

import org.schoolgate.store.StoreUnavailableException;

/**
 * What the console says while the trust's database is away (SPEC 12): 503 with
 * {@code Retry-After}, a page saying changes cannot be saved right now and filtering goes on —
 * never the 500 "Something went wrong" of a fault. The one place the console maps a store that
 * cannot be reached to its answer.
 */
final class DatabaseAway {
  static final long RETRY_AFTER_SECONDS = 30;
  static final String HEADLINE = "Changes cannot be saved right now";
  static final String SENTENCE = "The trust's database cannot be reached just now, so nothing was changed and this page "
      + "cannot be shown. Filtering goes on with the rules already in force. Please try again in a minute.";

  private DatabaseAway() {}

  /** Whether {@code e}, or what caused it, is the store being unavailable. */
  static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StoreUnavailableException) {
        return true;
      }
    }
    return false;
  }

  static Reply page(Reply r) {
    return r.header("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
  }
}
