package org.schoolgate.policy;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.schoolgate.values.Timetable;

/**
 * Holds the current {@link Policy} and the clock. Every listener asks it; every change (a list
 * reload, an admin block) swaps in a new snapshot with one atomic reference update, so a
 * decision never waits for a change and never sees half of one.
 */
public final class PolicyEngine {
  private final AtomicReference<Policy> current;
  private final Clock clock;
  /** The timetable state last computed; reused until it expires. Immutable, so a racy read is safe. */
  private volatile Timetable.State cachedState;
  private final java.util.concurrent.atomic.LongAdder decisions = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder decisionNanos = new java.util.concurrent.atomic.LongAdder();

  public PolicyEngine(Policy initial, Clock clock) {
    this.current = new AtomicReference<>(initial);
    this.clock = clock;
  }

  public Policy policy() {
    return current.get();
  }

  public Clock clock() {
    return clock;
  }

  /** Decides now. */
  public Decision decide(InetAddress client, String host, int port, Access access) {
    long start = System.nanoTime();
    Instant now = clock.instant();
    Decision d = current.get().decide(client, host, port, access, now, stateAt(now));
    decisionNanos.add(System.nanoTime() - start);
    decisions.increment();
    return d;
  }

  /** Decisions made, and the time they took in total, for /metrics. */
  public long decisions() {
    return decisions.sum();
  }

  public long decisionNanos() {
    return decisionNanos.sum();
  }

  /** Decides as if at {@code at} (the admin endpoint's "explain" view). */
  public Decision decideAt(InetAddress client, String host, int port, Access access, Instant at) {
    Policy p = current.get();
    return p.decide(client, host, port, access, at, p.config().timetable().stateAt(at));
  }

  /**
   * A TLS connection that cannot be decided on a server name (none, hidden by ECH, not TLS at
   * all): a blocked circumvention attempt for groups that block circumvention now, else an
   * allow with no rule (the caller still needs somewhere to connect to).
   */
  public Decision anomaly(InetAddress client, CircumventionKind kind, String detail) {
    Instant now = clock.instant();
    Timetable.State state = stateAt(now);
    Policy p = current.get();
    String group = p.groupOf(client);
    if (p.blocksCircumvention(client, state.period())) {
      return Decisions.circumvention(group, kind, kind.wire(), detail, state.period(), detail);
    }
    return Decisions.undecidableAllowed(group, detail, state.period());
  }

  public Timetable.State stateAt(Instant now) {
    Timetable.State s = cachedState;
    if (s == null || !now.isBefore(s.until()) || now.isBefore(s.since())) {
      s = current.get().config().timetable().stateAt(now);
      cachedState = s;
    }
    return s;
  }

  /** Applies a change atomically (retrying if another change won the race). */
  public Policy update(UnaryOperator<Policy> change) {
    return current.updateAndGet(change);
  }
}
