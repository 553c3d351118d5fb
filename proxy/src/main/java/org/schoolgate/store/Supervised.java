package org.schoolgate.store;

import java.util.List;
import java.util.function.Function;

/** A burst of circumvention events and the supervised devices they updated: one transaction, kept together or not at all. */
record Supervised(List<Rows.Event> events, List<Rows.Device> devices) implements Function<Store.Ops, Void> {
  @Override
  public Void apply(Store.Ops ops) {
    ops.events().record(events);
    devices.forEach(ops.supervision()::putDevice);
    return null;
  }
}
