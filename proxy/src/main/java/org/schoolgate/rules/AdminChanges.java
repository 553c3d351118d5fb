package org.schoolgate.rules;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.schoolgate.log.AuditRecord;
import org.schoolgate.log.Timestamps;
import org.schoolgate.policy.AdminRules;
import org.schoolgate.policy.CurriculumOverride;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.StoreUnavailableException;
import org.schoolgate.values.HostSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an admin change is made. Each is one store transaction that also writes its audit row;
 * once it is committed (on disk) the new admin rules are swapped into the policy with one
 * atomic update, the audit line is logged, and only then does the caller's future complete, so
 * a 2xx always means "durable and in force".
 */
public final class AdminChanges {
  private static final Logger log = LoggerFactory.getLogger(AdminChanges.class);
  private final Store store;
  private final PolicyEngine engine;
  private final Clock clock;
  private final ZoneId zone;
  private final Consumer<AuditRecord> auditLog;
  private final Consumer<String> onBlock;
  /** Where the last policy is kept for a start while the trust's database is away; null for SQLite. */
  private final Path snapshot;
  // Mirrors of the tables the policy needs, touched only inside transactions and store.ordered().
  private List<String> blocked = List.of();
  private List<String> allowed = List.of();
  private List<Rows.OverrideRow> overrideRows = List.of();
  private List<CurriculumOverride> overrides = List.of();
  private volatile List<Rows.Device> supervised = List.of();

  AdminChanges(Store store, PolicyEngine engine, Clock clock, ZoneId zone, Consumer<AuditRecord> auditLog,
               Consumer<String> onBlock, Path snapshot) {
    this.store = store;
    this.engine = engine;
    this.clock = clock;
    this.zone = zone;
    this.auditLog = auditLog;
    this.onBlock = onBlock;
    this.snapshot = snapshot;
    try {
      store.transaction(ops -> {
        reloadMirrors(ops);
        return null;
      }).join();
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof StoreUnavailableException away) || snapshot == null) {
        throw e;
      }
      startOnSnapshot(away);
    }
    publish();
  }

  /** The database is away at start: the rules and devices of the last snapshot, or no start at all. */
  private void startOnSnapshot(StoreUnavailableException away) {
    PolicySnapshot.Contents last;
    try {
      last = PolicySnapshot.read(snapshot);
    } catch (IOException e) {
      throw new StoreException("the trust's database cannot be reached and the local snapshot of the policy "
          + snapshot + " cannot be read (" + e.getMessage() + ")", e);
    }
    if (last == null) {
      throw new StoreException("the trust's database cannot be reached (" + away.getMessage() + ") and this gateway "
          + "has no local snapshot of the policy yet (" + snapshot + "); start it once with the database reachable", away);
    }
    blocked = List.copyOf(last.blocked());
    allowed = List.copyOf(last.allowed());
    inForce(last.overrides());
    supervised = List.copyOf(last.devices());
    log.warn("the trust's database cannot be reached: filtering with the local snapshot of the policy written at {}",
        last.writtenAt());
  }

  /** The supervised devices of the snapshot this gateway started on (or the last ones published). */
  public List<Rows.Device> supervised() {
    return supervised;
  }

  public Store store() {
    return store;
  }

  public PolicyEngine engine() {
    return engine;
  }

  public String now() {
    return Timestamps.format(clock.instant(), zone);
  }

  public String format(Instant instant) {
    return Timestamps.format(instant, zone);
  }

  private void reloadMirrors(Store.Ops ops) {
    // Trust-wide rows, and those given to this gateway's school (SPEC section 12).
    String site = ops.site();
    blocked = ops.rules().blocks().stream().filter(b -> b.appliesAt(site)).map(Rows.Block::domain).toList();
    allowed = ops.rules().allows().stream().filter(b -> b.appliesAt(site)).map(Rows.Block::domain).toList();
    inForce(ops.rules().overrides());
  }

  private void inForce(List<Rows.OverrideRow> rows) {
    List<CurriculumOverride> list = new ArrayList<>();
    List<Rows.OverrideRow> kept = new ArrayList<>();
    Instant now = clock.instant();
    for (Rows.OverrideRow o : rows) {
      CurriculumOverride policy = toPolicy(o);
      if (policy.until().isAfter(now)) {
        list.add(policy); // expired ones stay in the table (and the audit) but cost decisions nothing
        kept.add(o);
      }
    }
    overrides = List.copyOf(list);
    overrideRows = List.copyOf(kept);
  }

  public static CurriculumOverride toPolicy(Rows.OverrideRow o) {
    InetAddress client = null;
    if (o.client() != null) {
      client = HostSyntax.ipAddress(o.client());
      if (client == null) {
        throw new IllegalStateException("stored override " + o.id() + " has a bad client " + o.client());
      }
    }
    return new CurriculumOverride(o.id(), o.group(), client, Set.copyOf(o.categories()), Set.copyOf(o.domains()),
        OffsetDateTime.parse(o.until()).toInstant(), o.reason());
  }

  /**
   * Swaps the current admin rules into the policy (one atomic reference update), and keeps them
   * in the local snapshot when there is one. Called only in {@code store.ordered()}, after a
   * commit: the mirrors it reads are written in transactions.
   */
  private void publish() {
    List<Rows.Device> devices = supervised;
    Set<InetAddress> lockdown = new HashSet<>();
    for (Rows.Device d : devices) {
      if (d.mode().equals("lockdown")) {
        lockdown.add(AddressInput.parse(d.address()));
      }
    }
    AdminRules rules = new AdminRules(blocked, allowed, overrides, lockdown);
    engine.update(p -> p.withAdmin(rules));
    if (snapshot != null) {
      try {
        PolicySnapshot.write(snapshot, new PolicySnapshot.Contents(now(), blocked, allowed, overrideRows, devices));
      } catch (IOException e) {
        log.warn("could not keep the local snapshot of the policy in {}: {}", snapshot, e.getMessage());
      }
    }
  }

  /**
   * Rereads the admin rules after another gateway changed them, swaps them into the policy and
   * closes the open tunnels to each newly blocked domain, as a change made here does.
   */
  public CompletableFuture<Void> refresh() {
    return store.transaction(ops -> {
      Set<String> before = Set.copyOf(blocked);
      reloadMirrors(ops);
      return blocked.stream().filter(d -> !before.contains(d)).toList();
    }).thenAcceptAsync(newlyBlocked -> {
      publish();
      newlyBlocked.forEach(onBlock);
    }, store.ordered());
  }

  /**
   * Sets the supervised devices (those in lockdown are held to supervision_allow) and publishes;
   * never blocks the caller.
   */
  public CompletableFuture<Void> setSupervised(Collection<Rows.Device> devices) {
    supervised = List.copyOf(devices);
    // in order with the store's work, so it cannot interleave with a change being published
    return CompletableFuture.runAsync(this::publish, store.ordered());
  }

  /**
   * What a change did: its result, the audit line (null when nothing changed), and a newly
   * blocked domain whose open tunnels must close (or null).
   */
  public record Outcome<T>(T value, AuditRecord audit, String blocked) {
    static <T> Outcome<T> unchanged(T value) {
      return new Outcome<>(value, null, null);
    }
  }

  public AuditRecord audit(String user, String action, String target, String reason) {
    return new AuditRecord(now(), user, action, target, reason);
  }

  /**
   * Runs a change: {@code work} in a transaction, which also records the audit row; after the
   * commit, in order with the store, publishes the new rules, writes the audit line and closes
   * tunnels to a newly blocked domain; only then completes.
   */
  public <T> CompletableFuture<T> change(Function<Store.Ops, Outcome<T>> work) {
    return store.transaction(ops -> {
      Outcome<T> o = work.apply(ops);
      AuditRecord a = o.audit();
      if (a != null) {
        ops.audit().append(a.ts(), a.user(), a.action(), a.target(), a.reason());
        ops.changed(Store.Changed.RULES); // other gateways reread the rules when this commits
        reloadMirrors(ops);
      }
      return o;
    }).thenApplyAsync(o -> {
      if (o.audit() != null) {
        publish();
        auditLog.accept(o.audit());
      }
      if (o.blocked() != null) {
        onBlock.accept(o.blocked());
      }
      return o.value();
    }, store.ordered());
  }
}
