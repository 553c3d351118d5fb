package org.schoolgate.store;

import java.sql.Connection;

/**
 * The stores' {@link Store.Ops}: one transaction's connection, seen through each aggregate's SQL
 * ({@link RuleOps}, {@link ReportOps}, ...), each run inside the store's transaction on its thread.
 * The same statements run on SQLite and PostgreSQL.
 */
final class SqlOps extends Sql implements Store.Ops {
  /** This gateway's site, written on the reports, events, alerts and audit rows it adds (null: none). */
  private final String site;
  /** Whether other gateways share the store (PostgreSQL): then {@link #changed} announces changes. */
  private final boolean shared;
  private final RuleOps rules;
  private final ReportOps reports;
  private final AuditOps audit;
  private final EventOps events;
  private final SupervisionOps supervision;
  private final AlertOps alerts;
  private final CounterOps counters;
  private final UserOps users;
  private final IdentityOps identities;

  SqlOps(Connection c, String site, boolean shared) {
    super(c);
    this.site = site;
    this.shared = shared;
    this.rules = new RuleOps(c);
    this.reports = new ReportOps(c, site);
    this.audit = new AuditOps(c, site);
    this.events = new EventOps(c, site);
    this.supervision = new SupervisionOps(c);
    this.alerts = new AlertOps(c, site);
    this.counters = new CounterOps(c);
    this.users = new UserOps(c);
    this.identities = new IdentityOps(c, site == null ? "" : site);
  }

  @Override
  public void changed(String what) {
    if (!shared) {
      return;
    }
    long id = insert("INSERT INTO changes (site, what) VALUES (?, ?)", site == null ? "" : site, what);
    // delivered at commit, and only if it commits
    query(rs -> null, "SELECT pg_notify(?, ?)", PostgresChangeFeed.CHANNEL, Long.toString(id));
    update("DELETE FROM changes WHERE at < now() - interval '7 days'"); // ids are what matter; keep a week
  }

  @Override
  public String site() {
    return site;
  }

  @Override
  public RuleOps rules() {
    return rules;
  }

  @Override
  public ReportOps reports() {
    return reports;
  }

  @Override
  public AuditOps audit() {
    return audit;
  }

  @Override
  public EventOps events() {
    return events;
  }

  @Override
  public SupervisionOps supervision() {
    return supervision;
  }

  @Override
  public AlertOps alerts() {
    return alerts;
  }

  @Override
  public CounterOps counters() {
    return counters;
  }

  @Override
  public UserOps users() {
    return users;
  }

  @Override
  public IdentityOps identities() {
    return identities;
  }
}
