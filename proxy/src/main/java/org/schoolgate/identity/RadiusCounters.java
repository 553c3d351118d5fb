package org.schoolgate.identity;

import java.util.concurrent.atomic.LongAdder;

/** Accounting packets by outcome, for {@code schoolgate_radius_packets_total{outcome}}. */
public final class RadiusCounters {
  private final LongAdder[] counts = new LongAdder[RadiusPacket.Outcome.values().length];

  public RadiusCounters() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void count(RadiusPacket.Outcome outcome) {
    counts[outcome.ordinal()].increment();
  }

  public long count(String label) {
    for (RadiusPacket.Outcome o : RadiusPacket.Outcome.values()) {
      if (o.label.equals(label)) {
        return counts[o.ordinal()].sum();
      }
    }
    return 0;
  }
}
