package org.schoolgate.e2e.support;

import org.schoolgate.testing.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.CircumventionRecord;
import org.schoolgate.log.ProxyEvents;

/** Keeps every access line and event the proxy emits, for assertions. */
public final class RecordingEvents implements ProxyEvents {
  public final List<AccessRecord> access = new CopyOnWriteArrayList<>();
  public final List<CircumventionRecord> events = new CopyOnWriteArrayList<>();

  @Override
  public void access(AccessRecord record) {
    access.add(record);
  }

  @Override
  public void circumvention(CircumventionRecord record) {
    events.add(record);
  }

  /** Waits for the first access line matching, and returns it. */
  public AccessRecord awaitAccess(String what, Predicate<AccessRecord> p) {
    return Await.value("access line " + what, () -> access.stream().filter(p).findFirst().orElse(null));
  }

  public CircumventionRecord awaitEvent(String what, Predicate<CircumventionRecord> p) {
    return Await.value("event " + what, () -> events.stream().filter(p).findFirst().orElse(null));
  }
}
