package org.schoolgate.log;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * "Sent after its batch is committed": an event's refusal waits here until every durable sink
 * that took the event (the events file, the database) says it is written. Each sink calls
 * {@link #hold()} when it takes the event and {@link #written(boolean)} when its batch is on
 * disk; the listener that raised the event calls {@link #written(boolean) written(true)} once
 * when it has handed the event to every sink. The last call runs {@code then} on the
 * listener's executor, or {@code otherwise} if any sink failed to write it.
 */
public final class Durable {
  private final AtomicInteger pending = new AtomicInteger(1);
  private final Executor executor;
  private final Runnable then;
  private final Runnable otherwise;
  private volatile boolean failed;

  public Durable(Executor executor, Runnable then, Runnable otherwise) {
    this.executor = executor;
    this.then = then;
    this.otherwise = otherwise;
  }

  /** A sink has taken the event and will call {@link #written} once. */
  public void hold() {
    pending.incrementAndGet();
  }

  /** A sink has written the event ({@code ok}) or failed to; the last of these acts. */
  public void written(boolean ok) {
    if (!ok) {
      failed = true;
    }
    if (pending.decrementAndGet() == 0) {
      try {
        executor.execute(failed ? otherwise : then);
      } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
        // the listener's event loop has stopped: its connection is gone, and so is the refusal
      }
    }
  }
}
