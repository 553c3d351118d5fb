package org.schoolgate.proxy;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.schoolgate.log.Durable;

/**
 * One circumvention attempt per device, host and kind a minute (SPEC 14; issue 20, item 7). A
 * browser's one visit to a proxy site opens two or three connections (preconnect, retry); each is
 * refused and has its own access line, but only the first of its minute is an attempt: an event
 * in events.jsonl and the database, one towards supervision, one in the review. The minute is the
 * block page reference's ({@link Refs}: the clock's minute), so the connections of one attempt
 * show one reference.
 *
 * <p>A repeat is refused once the first connection's event is durable (or closed if it could not
 * be written), so an acknowledged refusal still always has its event.
 *
 * <p>Bounded: at most {@link #LIMIT} attempts are remembered a minute, in one table replaced (not
 * swept) when the minute rolls; past the bound every connection counts (as before this class:
 * more counted, never fewer). Lock-free on the event loops: a table look-up and one small key
 * and handle per refused circumvention connection, nothing on any other path.
 */
final class Attempts {
  /** Attempts remembered a minute: about 200 bytes each, so about 3 MB at most. */
  static final int LIMIT = 16_384;

  private final Clock clock;
  private final int limit;
  private final AtomicReference<Minute> current;

  Attempts(Clock clock) {
    this(clock, LIMIT);
  }

  Attempts(Clock clock, int limit) {
    this.clock = clock;
    this.limit = limit;
    this.current = new AtomicReference<>(new Minute(Long.MIN_VALUE));
  }

  /**
   * The attempt {@code client}'s connection to {@code host} is part of: a new one (the caller
   * records its event and {@link Attempt#settle settles} it once durable), or a {@link
   * Attempt#repeat() repeat} of one already recorded this minute.
   */
  Attempt claim(String client, String host, String kind) {
    long minute = Refs.minute(clock);
    Minute m = current.get();
    if (m.minute != minute) {
      Minute next = new Minute(minute); // once a minute (or when the clock is set back)
      m = current.compareAndSet(m, next) ? next : current.get();
      if (m.minute != minute) {
        return new Attempt(null); // raced with another thread's roll at the minute's edge: counted
      }
    }
    Key key = new Key(client, host == null ? "" : host, kind);
    Attempt first = m.seen.get(key);
    if (first != null) {
      return new Attempt(first);
    }
    Attempt mine = new Attempt(null);
    if (m.size.get() >= limit) {
      return mine; // the bound: remembered no more this minute, counted
    }
    first = m.seen.putIfAbsent(key, mine);
    if (first != null) {
      return new Attempt(first);
    }
    m.size.incrementAndGet();
    return mine;
  }

  /** How many attempts are remembered for the current minute (for tests of the bound). */
  int remembered() {
    return current.get().size.get();
  }

  private record Key(String client, String host, String kind) {}

  private static final class Minute {
    final long minute;
    final ConcurrentHashMap<Key, Attempt> seen = new ConcurrentHashMap<>();
    final AtomicInteger size = new AtomicInteger();

    Minute(long minute) {
      this.minute = minute;
    }
  }

  /**
   * A connection's part in an attempt. The first connection's holds the refusals of the repeats
   * that arrive before its event is durable: a lock-free stack of them (null while there are
   * none), replaced by the outcome ({@link Boolean}) when it is settled.
   */
  static final class Attempt extends AtomicReference<Object> {
    private final Attempt first;

    private Attempt(Attempt first) {
      this.first = first;
    }

    /** Whether this connection repeats an attempt already recorded this minute (record nothing). */
    boolean repeat() {
      return first != null;
    }

    /** A repeat: {@code refusal} hears the first connection's outcome (at once if it is known). */
    void after(Durable refusal) {
      Attempt a = first == null ? this : first;
      for (;;) {
        Object s = a.get();
        if (s instanceof Boolean ok) {
          refusal.written(ok);
          return;
        }
        if (a.compareAndSet(s, new Waiting(refusal, (Waiting) s))) {
          return;
        }
      }
    }

    /** The first connection's event is durable ({@code ok}) or could not be written: tells the repeats. */
    void settle(boolean ok) {
      Object s = getAndSet(ok);
      for (Waiting w = s instanceof Waiting head ? head : null; w != null; w = w.next) {
        w.refusal.written(ok);
      }
    }
  }

  private record Waiting(Durable refusal, Waiting next) {}
}
