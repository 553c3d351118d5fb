package org.schoolgate.store;

import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Circumvention events inside a {@link Store#transaction} (SPEC 10): recorded in bursts, listed, counted, aged out. */
public final class EventOps extends Sql {
  private static final RowMapper<Rows.Event> EVENT = rs -> new Rows.Event(rs.getLong("id"), rs.getString("ts"),
      rs.getString("client"), rs.getString("grp"), rs.getString("kind"), rs.getString("host"), rs.getString("detail"),
      rs.getString("mac"), rs.getString("site"), rs.getString("user_name"));

  /** This gateway's site, written on the events that carry none (null: none). */
  private final String site;

  EventOps(Connection c, String site) {
    super(c);
    this.site = site;
  }

  /** Stores events in the order given (an event's own site, or this gateway's when it has none). */
  public void record(List<Rows.Event> events) {
    for (Rows.Event e : events) {
      update("INSERT INTO events (ts, client, grp, kind, host, detail, mac, site, user_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          e.ts(), e.client(), e.group(), e.kind(), e.host(), e.detail(), e.mac(), e.site() != null ? e.site() : site,
          e.user());
    }
  }

  /** Newest first (by time, then by order of recording). */
  public List<Rows.Event> list(Store.EventQuery q) {
    Where w = new Where().and("kind", q.kind()).and("client", q.client()).and("ts >= ?", q.since(), true)
        .and("site", q.site());
    return query(EVENT, "SELECT * FROM events" + w.sql() + " ORDER BY ts DESC, id DESC LIMIT ?", w.args(q.limit()));
  }

  /** How many events of {@code kind} have a timestamp from {@code from} (inclusive) to {@code until} (exclusive). */
  public long count(String kind, String from, String until) {
    return number("SELECT count(*) FROM events WHERE kind = ? AND ts >= ? AND ts < ?", kind, from, until);
  }

  /**
   * Events of each of {@code kinds} on each of {@code days} days from {@code first} (the date of
   * their timestamp, which is written in the school's time zone): one count over the (kind, ts)
   * index per day and kind, so it reads no table rows. Days and kinds without events are left out.
   */
  public List<Rows.DayCount> perDay(List<String> kinds, LocalDate first, int days) {
    List<Rows.DayCount> out = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      String day = first.plusDays(d).toString();
      String next = first.plusDays(d + 1).toString();
      for (String kind : kinds) {
        long n = count(kind, day, next);
        if (n > 0) {
          out.add(new Rows.DayCount(day, kind, n));
        }
      }
    }
    return out;
  }

  /** Deletes the events older than {@code ts}; returns how many. */
  public int deleteBefore(String ts) {
    return update("DELETE FROM events WHERE ts < ?", ts);
  }
}
