package org.schoolgate.store;

import java.sql.Connection;
import java.util.List;

/** The console's users inside a {@link Store#transaction}: name, role and password hash. */
public final class UserOps extends Sql {
  private static final RowMapper<Rows.User> USER = rs -> new Rows.User(rs.getString("name"), rs.getString("role"),
      rs.getBytes("salt"), rs.getBytes("hash"), rs.getInt("iterations"), rs.getString("created_at"));

  UserOps(Connection c) {
    super(c);
  }

  /** By name. */
  public List<Rows.User> list() {
    return query(USER, "SELECT * FROM users ORDER BY name");
  }

  /** The user, or null. */
  public Rows.User get(String name) {
    return first(query(USER, "SELECT * FROM users WHERE name = ?", name));
  }

  /** Adds a user, or replaces the role and password of one who exists (keeping when it was created). */
  public void put(Rows.User u) {
    update("INSERT INTO users (name, role, salt, hash, iterations, created_at) VALUES (?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT(name) DO UPDATE SET role = excluded.role, salt = excluded.salt, hash = excluded.hash, "
        + "iterations = excluded.iterations", u.name(), u.role(), u.salt(), u.hash(), u.iterations(), u.createdAt());
  }

  /** False when there was no such user. */
  public boolean remove(String name) {
    return update("DELETE FROM users WHERE name = ?", name) > 0;
  }
}
