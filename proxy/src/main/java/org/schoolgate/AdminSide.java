package org.schoolgate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.schoolgate.alert.Alerts;
import org.schoolgate.config.Config;
import org.schoolgate.identity.Identities;
import org.schoolgate.identity.UserRules;
import org.schoolgate.lists.Subscriptions;
import org.schoolgate.log.JsonLogs;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.review.Counters;
import org.schoolgate.rules.AdminService;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.Stores;
import org.schoolgate.supervision.ChangeFollower;
import org.schoolgate.supervision.Supervision;
import org.schoolgate.web.AdminServer;
import org.schoolgate.web.Metrics;

/**
 * The admin side of a running schoolgate, made before any listener opens: the store, the alerts,
 * the admin rules and supervision, who is on which device, all kept in step with a trust's other
 * gateways, and the admin listener's initializer when {@code listen.admin} is set.
 *
 * @param identities null when there is no {@code identity} section
 * @param admin null when {@code listen.admin} is not set: the rules, supervision and store run without it
 */
record AdminSide(Store store, Alerts alerts, AdminService service, Supervision supervision, Identities identities,
                 AdminServer admin) {

  /** @param closeTunnelsTo closes the open tunnels to a domain a new block names */
  static AdminSide open(Config config, Schoolgate.Options options, PolicyEngine engine, JsonLogs logs, Metrics metrics,
                        Consumer<String> closeTunnelsTo, Subscriptions subscriptions) throws IOException {
    Store store = Stores.open(config, true);
    org.schoolgate.review.Today today = new org.schoolgate.review.Today(config.timezone());
    logs.tap(org.schoolgate.log.AccessTap.both(new Counters(store, config.timezone(), Counters.FLUSH_NANOS, System::nanoTime),
        today));
    Alerts alerts = config.alerts() == null ? Alerts.OFF : new Alerts(config.alerts(), options.clock(), config.timezone());
    AdminService service;
    Supervision supervision;
    try {
      // A trust's gateway keeps the last policy it had on its own disk, to start on while the database is away.
      Path snapshot = config.store().postgresql() ? config.dataDir().resolve("policy-snapshot.json") : null;
      service = new AdminService(store, engine, options.clock(), config.timezone(), audit(logs, metrics), closeTunnelsTo,
          snapshot, alerts);
      supervision = new Supervision(service, config.circumvention(), options.clock(), logs::circumvention,
          config.dataDir().resolve("event-queue.jsonl"), alerts, org.schoolgate.identity.SignedInStaff.or(config, engine),
          config.dnsGuardOn());
    } catch (StoreException e) {
      store.close();
      throw new IOException(e.getMessage(), e);
    }
    Identities identities = config.identity() == null ? null : new Identities(store, engine,
        new UserRules(config.identity().users()), config.identity().sessionMax(), options.clock(), config.timezone());
    if (identities != null) {
      identities.refresh().join(); // the mappings kept in the store are in force before any listener opens
    }
    ChangeFollower.follow(store, service, supervision, identities);
    AdminServer admin = config.listen().admin() == null ? null
        : new AdminServer(config, store, service, supervision, metrics, options.clock(), subscriptions, today);
    return new AdminSide(store, alerts, service, supervision, identities, admin);
  }

  /** Where an admin change is told: the audit log and the metrics. */
  static Consumer<org.schoolgate.log.AuditRecord> audit(JsonLogs logs, Metrics metrics) {
    return record -> {
      logs.audit(record);
      metrics.adminChange(record);
    };
  }
}
