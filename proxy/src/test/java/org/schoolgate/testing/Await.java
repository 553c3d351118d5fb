package org.schoolgate.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls for a condition with a deadline, instead of sleeping for a guessed time: waits for an
 * event, never guesses a time. The one Await of both modules (the end-to-end tests use it from
 * this module's test-jar).
 */
public final class Await {
  private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, Duration.ofSeconds(10), condition);
  }

  public static void until(String what, BooleanSupplier condition, Duration timeout) {
    until(what, timeout, condition);
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  public static <T> T value(String what, Supplier<T> supplier) {
    Object[] box = new Object[1];
    until(what, () -> (box[0] = supplier.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) box[0];
    return t;
  }
}
