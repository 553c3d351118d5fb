package org.schoolgate.values;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** A component's own thread, made and stopped the same way everywhere. */
public final class Threads {
  /** How long a closing component waits for the work it was given. */
  public static final long STOP_SECONDS = 5;

  private Threads() {}

  /** Daemon threads named {@code name}: a component's own thread never keeps the process alive. */
  public static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

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
