package org.schoolgate.review;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.AccessTap;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;

/**
 * Counts visits per day, group, category and site for the annual review: every blocked visit
 * by its site, every allowed one whose category is known by its category alone; a visit is a
 * device's requests to one site in one minute ({@link Visits}), not each connection. Fed by the log
 * writer thread (never an event loop) and touched only there; every {@code flushNanos} the counts
 * go to the store in one transaction, which runs on the store's thread, so the writer never waits
 * on the disk. A crash loses at most the counts of the last few seconds; the access log keeps
 * every line.
 */
public final class Counters implements AccessTap {
  public static final long FLUSH_NANOS = 2_000_000_000L;

  private record Key(String day, String group, String category, String site, String decision) {}

  private final Store store;
  private final ZoneId zone;
  private final long flushNanos;
  private final Map<Key, long[]> pending = new HashMap<>();
  private final Visits visits = new Visits();
  /** Nanoseconds, as {@link System#nanoTime} counts them: a test moves its own. */
  private final LongSupplier ticker;
  private long lastFlush;

  public Counters(Store store, ZoneId zone, long flushNanos, LongSupplier ticker) {
    this.store = store;
    this.zone = zone;
    this.flushNanos = flushNanos;
    this.ticker = ticker;
    this.lastFlush = ticker.getAsLong();
  }

  @Override
  public void access(AccessRecord r) {
    boolean blocked = "block".equals(r.decision());
    if (!blocked && r.category() == null || !visits.first(r.ts().getEpochSecond(), r.client(), r.host(), r.decision())) {
      return;
    }
    String day = LocalDate.ofInstant(r.ts(), zone).toString();
    Key k = new Key(day, r.group() == null ? "" : r.group(), r.category() == null ? "" : r.category(),
        blocked ? r.host() : "", blocked ? "block" : "allow");
    pending.computeIfAbsent(k, x -> new long[1])[0]++;
  }

  @Override
  public void idle(boolean closing) {
    long now = ticker.getAsLong();
    if (pending.isEmpty() || (!closing && now - lastFlush < flushNanos)) {
      return;
    }
    lastFlush = now;
    List<Rows.Count> batch = new ArrayList<>(pending.size());
    pending.forEach((k, n) -> batch.add(new Rows.Count(k.day(), k.group(), k.category(), k.site(), k.decision(), n[0])));
    pending.clear();
    try {
      var saved = store.transaction(ops -> {
        ops.counters().add(batch);
        return null;
      });
      if (closing) {
        saved.join(); // on shutdown: in the store before it closes
      }
    } catch (RuntimeException e) {
      // the store is closing or failed: these counts are lost, the access log still has every line
    }
  }
}
