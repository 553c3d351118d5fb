package org.schoolgate.proxy;

import io.netty.util.concurrent.Ticker;
import java.util.function.Consumer;

/**
 * Byte counts of one tunnel, and the moment both of its sides have closed (then the access line
 * is written). Both channels live on one event loop, so plain fields are enough.
 */
final class TunnelStats {
  long bytesUp;
  long bytesDown;
  /** The event loop's time, which a test's EmbeddedChannel moves. */
  private final Ticker ticker;
  /** When either side last sent something: a tunnel is idle only when both directions are. */
  private long lastReadNanos;
  private int open = 2;
  private final Consumer<TunnelStats> onEnd;

  TunnelStats(Ticker ticker, Consumer<TunnelStats> onEnd) {
    this.ticker = ticker;
    this.onEnd = onEnd;
    this.lastReadNanos = ticker.nanoTime();
  }

  /** How long neither side has sent anything. */
  long idleNanos() {
    return ticker.nanoTime() - lastReadNanos;
  }

  void count(boolean up, int n) {
    lastReadNanos = ticker.nanoTime();
    if (up) {
      bytesUp += n;
    } else {
      bytesDown += n;
    }
  }

  void closed() {
    if (--open == 0) {
      onEnd.accept(this);
    }
  }
}
