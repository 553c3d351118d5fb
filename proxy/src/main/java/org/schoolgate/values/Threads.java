package org.schoolgate.values;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Stopping a component's own thread the same way everywhere. */
public final class Threads {
  /** How long a closing component waits for the work it was given. */
  public static final long STOP_SECONDS = 5;

  private Threads() {}

  /**
   * Stops taking work and waits up to {@link #STOP_SECONDS} for {@code thread} to finish it
   * ({@code interrupt}: interrupts what runs, and drops what waits); returns whether it finished.
   * An interrupt while waiting is kept for the caller.
   */
  public static boolean stop(ExecutorService thread, boolean interrupt) {
    if (interrupt) {
      thread.shutdownNow();
    } else {
      thread.shutdown();
    }
    try {
      return thread.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
