package org.schoolgate.web;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.schoolgate.admin.ApiError;

/**
 * The password derivations the admin listener runs at once (issue 21.7): {@value #SLOTS}, on one
 * of its two worker threads, so the other is always free for requests that need no password (a
 * signed-in head's pages). A sign-in that finds the slot taken is refused at once, 503 with a
 * sentence and {@code Retry-After}, instead of queueing a third of a second of hashing in front of
 * everyone: 125 failing sign-ins at once cost the others nothing but a quick refusal each.
 */
final class HashGate {
  static final int SLOTS = 1;
  static final long RETRY_AFTER_SECONDS = 2;

  private final Semaphore slots = new Semaphore(SLOTS);

  /** {@code derivation}'s result, or 503 at once when every slot is taken. */
  <T> T run(Supplier<T> derivation) {
    if (!slots.tryAcquire()) {
      throw new ApiError(503, "Too many sign-ins are being checked at this moment; please try again in a few seconds.",
          RETRY_AFTER_SECONDS);
    }
    try {
      return derivation.get();
    } finally {
      slots.release();
    }
  }
}
