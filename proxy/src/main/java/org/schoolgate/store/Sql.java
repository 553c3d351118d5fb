package org.schoolgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What every aggregate's SQL is written with: one statement per call, on the transaction's
 * connection and thread, a {@link SQLException} turned into {@link StoreException}. The same
 * statements run on SQLite and PostgreSQL (both take {@code ON CONFLICT} and {@code RETURNING}).
 * Lists are stored comma-separated.
 */
abstract class Sql {
  private final Connection c;

  Sql(Connection c) {
    this.c = c;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private PreparedStatement bind(String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(i + 1, Types.NULL);
      } else {
        ps.setObject(i + 1, a);
      }
    }
    return ps;
  }

  /** Runs an INSERT, UPDATE or DELETE and returns how many rows it touched. */
  final int update(String sql, Object... args) {
    try (PreparedStatement ps = bind(sql, args)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  /** Runs an INSERT and returns the new row's id. */
  final long insert(String sql, Object... args) {
    return number(sql + " RETURNING id", args);
  }

  /** The first column of the first row (a count, a new id). */
  final long number(String sql, Object... args) {
    try (PreparedStatement ps = bind(sql, args); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  final <T> List<T> query(RowMapper<T> mapper, String sql, Object... args) {
    try (PreparedStatement ps = bind(sql, args); ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(mapper.map(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  static <T> T first(List<T> rows) {
    return rows.isEmpty() ? null : rows.get(0);
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static List<String> split(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
  }
}
