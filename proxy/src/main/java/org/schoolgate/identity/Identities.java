package org.schoolgate.identity;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.log.Timestamps;
import org.schoolgate.policy.IdentityMap;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.store.IdentityOps;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.values.IpLiteral;

/**
 * Who is on which address (SPEC 15), kept in the store and put in force in the policy. Each
 * accounting request is one transaction that changes this site's mappings and reads them back;
 * the map built from them replaces the policy's on the store's ordered thread (so in commit
 * order), and the returned future completes only then: the Accounting-Response that waits for it
 * is sent once the mapping is in force. Nothing here runs on an event loop.
 *
 * <p>Start maps the address (a newer Start replaces whatever was there); Interim-Update refreshes
 * the mapping of its own session, or maps an address nobody holds; Stop ends the mapping only when
 * its Acct-Session-Id is the mapping's; Accounting-On/Off ends every mapping of that equipment;
 * {@link #expire} ends those not updated for {@code session_max}.
 */
public final class Identities {
  private final Store store;
  private final PolicyEngine engine;
  private final UserRules rules;
  private final Duration sessionMax;
  private final Clock clock;
  private final ZoneId zone;
  private final List<String> groupNames;

  public Identities(Store store, PolicyEngine engine, UserRules rules, Duration sessionMax, Clock clock, ZoneId zone) {
    this.store = store;
    this.engine = engine;
    this.rules = rules;
    this.sessionMax = sessionMax;
    this.clock = clock;
    this.zone = zone;
    this.groupNames = List.copyOf(engine.policy().config().groups().keySet());
  }

  /** Applies one verified accounting request; completes when what it changed is in force. */
  public CompletableFuture<Void> apply(Accounting a) {
    long now = clock.millis();
    String since = Timestamps.format(clock.instant(), zone);
    return store.transaction(ops -> {
      IdentityOps ids = ops.identities();
      boolean changed = switch (a.status()) {
        case Accounting.START, Accounting.INTERIM -> map(ids, a, now, since);
        case Accounting.STOP -> forEachAddress(a, address -> ids.end(address, a.sessionId() == null ? "" : a.sessionId()));
        case Accounting.ON, Accounting.OFF -> ids.endAllOf(a.nas()) > 0;
        default -> false;
      };
      if (changed) {
        ops.changed(Store.Changed.IDENTITIES);
      }
      return changed ? ids.here() : null;
    }).thenAcceptAsync(this::publish, store.ordered());
  }

  private static boolean map(IdentityOps ids, Accounting a, long now, String since) {
    if (a.user() == null || a.user().isEmpty()) {
      return false;
    }
    String session = a.sessionId() == null ? "" : a.sessionId();
    return forEachAddress(a, address -> {
      Rows.Identity old = ids.get(address);
      boolean sameSession = old != null && old.sessionId().equals(session) && old.user().equals(a.user());
      if (a.status() == Accounting.INTERIM && old != null && !sameSession) {
        return false; // an update of an older session never takes the address back from a newer Start
      }
      ids.put(new Rows.Identity(null, address, a.user(), session, a.nas(), sameSession ? old.since() : since, now));
      return true;
    });
  }

  private interface AddressStep {
    boolean on(String address);
  }

  private static boolean forEachAddress(Accounting a, AddressStep step) {
    boolean changed = false;
    for (InetAddress address : new InetAddress[] {a.ipv4(), a.ipv6()}) {
      if (address != null) {
        changed |= step.on(address.getHostAddress());
      }
    }
    return changed;
  }

  /** Ends the mappings with no update for {@code session_max}, by the injected clock; completes when in force. */
  public CompletableFuture<Void> expire() {
    Instant before = clock.instant().minus(sessionMax);
    return store.transaction(ops -> {
      IdentityOps ids = ops.identities();
      if (ids.endUpdatedBefore(before) == 0) {
        return null;
      }
      ops.changed(Store.Changed.IDENTITIES);
      return ids.here();
    }).thenAcceptAsync(this::publish, store.ordered());
  }

  /** Rereads this site's mappings (at the start, and when another gateway changed them) and puts them in force. */
  public CompletableFuture<Void> refresh() {
    return store.transaction(ops -> ops.identities().here()).thenAcceptAsync(this::publish, store.ordered());
  }

  /** Every site's mappings, one page, by site and user. */
  public CompletableFuture<List<Rows.Identity>> list(int limit, int offset) {
    return store.transaction(ops -> ops.identities().all(limit, offset));
  }

  /** The group a user's rule gives, or null (the network's). */
  public String groupOf(String user) {
    return rules.groupOf(user);
  }

  /** Null: nothing changed. */
  private void publish(List<Rows.Identity> rows) {
    if (rows == null) {
      return;
    }
    List<IdentityMap.Entry> entries = new ArrayList<>(rows.size());
    for (Rows.Identity r : rows) {
      byte[] bytes = IpLiteral.bytes(r.address());
      if (bytes == null) {
        continue;
      }
      try {
        entries.add(new IdentityMap.Entry(InetAddress.getByAddress(bytes), r.user(), rules.groupOf(r.user())));
      } catch (java.net.UnknownHostException e) {
        // bytes of 4 or 16 octets are always an address
      }
    }
    IdentityMap map = new IdentityMap(entries, groupNames);
    engine.update(p -> p.withIdentities(map));
  }
}
