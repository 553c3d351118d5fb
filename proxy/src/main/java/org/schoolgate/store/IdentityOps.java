package org.schoolgate.store;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;

/**
 * The SQL of who is on which address (SPEC 15), inside a {@link Store#transaction}. Rows belong to
 * a site (schools of a trust reuse the same private ranges); what this gateway writes and puts in
 * force is its own site's, while {@link #all} lists every site's for the console.
 */
public final class IdentityOps extends Sql {
  private final String site;

  IdentityOps(Connection c, String site) {
    super(c);
    this.site = site;
  }

  /** The mapping of an address at this site, or null. */
  public Rows.Identity get(String address) {
    List<Rows.Identity> rows = query("SELECT * FROM identities WHERE site = ? AND address = ?", site, address);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Maps an address to a user (replacing whatever it was mapped to); the row's own site is ignored. */
  public void put(Rows.Identity i) {
    update("INSERT INTO identities (site, address, user_name, session_id, nas, since, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT (site, address) DO UPDATE SET user_name = excluded.user_name, session_id = excluded.session_id, "
        + "nas = excluded.nas, since = excluded.since, updated_ms = excluded.updated_ms",
        site, i.address(), i.user(), i.sessionId(), i.nas(), i.since(), i.updatedMs());
  }

  /** Ends the mapping of {@code address} only when it is of session {@code sessionId}; false when it was not. */
  public boolean end(String address, String sessionId) {
    return update("DELETE FROM identities WHERE site = ? AND address = ? AND session_id = ?", site, address, sessionId) > 0;
  }

  /** Ends every mapping {@code nas} reported (it restarted: Accounting-On/Off); returns how many. */
  public int endAllOf(String nas) {
    return update("DELETE FROM identities WHERE site = ? AND nas = ?", site, nas);
  }

  /** Ends the mappings not updated since {@code updated} (session_max); returns how many. */
  public int endUpdatedBefore(Instant updated) {
    return update("DELETE FROM identities WHERE site = ? AND updated_ms < ?", site, updated.toEpochMilli());
  }

  /** This site's mappings, by address. */
  public List<Rows.Identity> here() {
    return query("SELECT * FROM identities WHERE site = ? ORDER BY address", site);
  }

  /** Every site's mappings, by site and user, one page of them. */
  public List<Rows.Identity> all(int limit, int offset) {
    return query("SELECT * FROM identities ORDER BY site, user_name, address LIMIT ? OFFSET ?", limit, offset);
  }

  /** How many mappings every site has together. */
  public long count() {
    return number("SELECT count(*) FROM identities");
  }

  private static final RowMapper<Rows.Identity> IDENTITY = rs -> new Rows.Identity(rs.getString("site"),
      rs.getString("address"), rs.getString("user_name"), rs.getString("session_id"), rs.getString("nas"),
      rs.getString("since"), rs.getLong("updated_ms"));

  private List<Rows.Identity> query(String sql, Object... args) {
    return query(IDENTITY, sql, args);
  }
}
