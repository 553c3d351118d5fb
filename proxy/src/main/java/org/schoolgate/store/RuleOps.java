package org.schoolgate.store;

import java.sql.Connection;
import java.util.List;

/**
 * The admin rules inside a {@link Store#transaction}: blocks, allows (a report approved as
 * "unblock" allows its host) and overrides. What gateways hold in memory as the policy's admin
 * rules ({@link Store.Changed#RULES}).
 */
public final class RuleOps extends Sql {
  private static final RowMapper<Rows.Block> BLOCK = rs -> new Rows.Block(rs.getString("domain"), rs.getString("reason"),
      rs.getString("added_by"), rs.getString("added_at"), nullableLong(rs, "report_id"), rs.getString("site"));
  private static final RowMapper<Rows.OverrideRow> OVERRIDE = rs -> new Rows.OverrideRow(rs.getLong("id"),
      rs.getString("grp"), rs.getString("client"), split(rs.getString("categories")), split(rs.getString("domains")),
      rs.getString("until"), rs.getString("reason"), rs.getString("created_by"), rs.getString("created_at"));

  RuleOps(Connection c) {
    super(c);
  }

  /** Every admin block, those given to one site included (see {@link Rows.Block#appliesAt}). */
  public List<Rows.Block> blocks() {
    return query(BLOCK, "SELECT * FROM blocks ORDER BY domain");
  }

  public List<Rows.Block> allows() {
    return query(BLOCK, "SELECT * FROM allows ORDER BY domain");
  }

  /** Adds a block unless its domain is there already; returns the stored row and whether it is new. */
  public Store.Added addBlock(Rows.Block block) {
    return put("blocks", block);
  }

  /** Adds an allow unless its domain is there already, as {@link #addBlock}. */
  public Store.Added addAllow(Rows.Block allow) {
    return put("allows", allow);
  }

  private Store.Added put(String table, Rows.Block b) {
    Rows.Block existing = first(query(BLOCK, "SELECT * FROM " + table + " WHERE domain = ?", b.domain()));
    if (existing != null) {
      return new Store.Added(existing, false);
    }
    update("INSERT INTO " + table + " (domain, reason, added_by, added_at, report_id, site) VALUES (?, ?, ?, ?, ?, ?)",
        b.domain(), b.reason(), b.addedBy(), b.addedAt(), b.reportId(), b.site());
    return new Store.Added(b, true);
  }

  /** False when the domain was not blocked. */
  public boolean removeBlock(String domain) {
    return update("DELETE FROM blocks WHERE domain = ?", domain) > 0;
  }

  /** Adds an override (its id is ignored) and returns it with its new id. */
  public Rows.OverrideRow addOverride(Rows.OverrideRow o) {
    long id = insert("INSERT INTO overrides (grp, client, categories, domains, until, reason, created_by, created_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", o.group(), o.client(), String.join(",", o.categories()),
        String.join(",", o.domains()), o.until(), o.reason(), o.createdBy(), o.createdAt());
    return first(query(OVERRIDE, "SELECT * FROM overrides WHERE id = ?", id));
  }

  /** Those not ended early, oldest first (expired ones included: they stay for the record). */
  public List<Rows.OverrideRow> overrides() {
    return query(OVERRIDE, "SELECT * FROM overrides WHERE deleted_at IS NULL ORDER BY id");
  }

  /** Ends an override early; false when there is no such override in force. */
  public boolean endOverride(long id, String at) {
    return update("UPDATE overrides SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", at, id) > 0;
  }
}
