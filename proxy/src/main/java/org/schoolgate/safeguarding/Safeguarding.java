package org.schoolgate.safeguarding;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.log.Timestamps;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;

/**
 * The safeguarding lead's side of the admin API (SPEC 11): the alerts and their delivery. Read
 * only here; alerts are raised by what causes them ({@link Supervision}, {@link AdminService}).
 */
public final class Safeguarding {
  private final Store store;
  private final ZoneId zone;

  public Safeguarding(Store store, ZoneId zone) {
    this.store = store;
    this.zone = zone;
  }

  /** Newest first: what {@code GET /api/alerts} shows of each. */
  public CompletableFuture<List<Map<String, Object>>> alerts(int limit, String site) {
    return store.alerts(null, null, limit, site).thenApply(rows -> rows.stream().map(this::json).toList());
  }

  public Store store() {
    return store;
  }

  public CompletableFuture<List<Rows.Alert>> alertRows(int limit) {
    return store.alerts(null, null, limit);
  }

  private Map<String, Object> json(Rows.Alert a) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", a.uid());
    o.put("kind", a.kind());
    o.put("device", a.device().isEmpty() ? null : a.device());
    o.put("mac", a.mac());
    o.put("name", a.name());
    o.put("group", a.group().isEmpty() ? null : a.group());
    o.put("ts", a.ts());
    o.put("last_ts", a.lastTs());
    o.put("count", a.count());
    o.put("what", a.what());
    o.put("ref", a.ref());
    o.put("link", a.link());
    o.put("state", a.state());
    o.put("attempts", a.attempts());
    o.put("next_try", a.state().equals("pending") ? Timestamps.format(Instant.ofEpochMilli(a.nextTry()), zone) : null);
    o.put("emailed_at", a.mailedAt());
    o.put("posted_at", a.postedAt());
    o.put("delivered_at", a.deliveredAt());
    o.put("last_error", a.lastError());
    o.put("site", a.site());
    return o;
  }

  public static Instant instant(String ts) {
    return OffsetDateTime.parse(ts).toInstant();
  }
}
