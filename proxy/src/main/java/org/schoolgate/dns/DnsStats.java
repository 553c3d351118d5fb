package org.schoolgate.dns;

import java.util.concurrent.atomic.LongAdder;

/** Queries by {@link Outcome}, counted on the event loops (a {@link LongAdder} each), read by {@code /metrics}. */
public final class DnsStats {
  private final LongAdder[] counts = new LongAdder[Outcome.values().length];

  public DnsStats() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void count(Outcome o) {
    counts[o.ordinal()].increment();
  }

  public long get(Outcome o) {
    return counts[o.ordinal()].sum();
  }
}
