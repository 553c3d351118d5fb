package org.schoolgate.store;

import java.sql.Connection;
import java.util.List;

/** The request counters for the annual review (SPEC 13) inside a {@link Store#transaction}: one row per day, group, category, site and decision. */
public final class CounterOps extends Sql {
  CounterOps(Connection c) {
    super(c);
  }

  /** Adds each count to the stored one for its day, group, category, site and decision. */
  public void add(List<Rows.Count> counts) {
    for (Rows.Count k : counts) {
      update("INSERT INTO counters (day, grp, category, site, decision, n) VALUES (?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT(day, grp, category, site, decision) DO UPDATE SET n = counters.n + excluded.n",
          k.day(), k.group(), k.category(), k.site(), k.decision(), k.n());
    }
  }

  /** Totals per group, category, site and decision over the days from {@code fromDay} to {@code toDay}, both included. */
  public List<Rows.Count> totals(String fromDay, String toDay) {
    return query(rs -> new Rows.Count(null, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)),
        "SELECT grp, category, site, decision, sum(n) FROM counters WHERE day >= ? AND day <= ? "
            + "GROUP BY grp, category, site, decision", fromDay, toDay);
  }

  /** Deletes the counts of days before {@code day}; returns how many rows. */
  public int deleteBefore(String day) {
    return update("DELETE FROM counters WHERE day < ?", day);
  }
}
