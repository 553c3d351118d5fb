package org.schoolgate.store;

import java.util.ArrayList;
import java.util.List;

/** A WHERE clause of "column = ?" terms for the aggregates' list queries, skipping those whose value is null (any). */
final class Where {
  private final StringBuilder sql = new StringBuilder();
  private final List<Object> args = new ArrayList<>();

  Where and(String column, Object value) {
    return and(column + " = ?", value, true);
  }

  /** {@code term} (with one {@code ?}) when {@code value} is not null. */
  Where and(String term, Object value, boolean when) {
    if (value != null && when) {
      sql.append(sql.length() == 0 ? " WHERE " : " AND ").append(term);
      args.add(value);
    }
    return this;
  }

  String sql() {
    return sql.toString();
  }

  /** The arguments, then {@code more} (a LIMIT, say). */
  Object[] args(Object... more) {
    List<Object> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray();
  }
}
