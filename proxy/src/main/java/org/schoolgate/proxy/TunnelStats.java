package org.schoolgate.proxy;

import java.util.function.Consumer;

/**
 * Byte counts of one tunnel, and the moment both of its sides have closed (then the access line
 * is written). Both channels live on one event loop, so plain fields are enough.
 */
final class TunnelStats {
  long bytesUp;
  long bytesDown;
  /** When either side last sent something: a tunnel is idle only when both directions are. */
  long lastReadNanos = System.nanoTime();
  private int open = 2;
  private final Consumer<TunnelStats> onEnd;

  TunnelStats(Consumer<TunnelStats> onEnd) {
    this.onEnd = onEnd;
  }

  void count(boolean up, int n) {
    lastReadNanos = System.nanoTime();
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
