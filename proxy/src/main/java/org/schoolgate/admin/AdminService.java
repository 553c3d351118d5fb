package org.schoolgate.admin;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.schoolgate.log.AuditRecord;
import org.schoolgate.log.Timestamps;
import org.schoolgate.policy.AdminRules;
import org.schoolgate.policy.CurriculumOverride;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.store.Database;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Tables;

/**
 * The rules behind the admin API. Each change is one transaction that also writes its audit
 * row; once it is committed (on disk) the new admin rules are swapped into the policy with one
 * atomic update, the audit line is logged, and only then does the caller's future complete, so
 * a 2xx always means "durable and in force".
 */
public final class AdminService {
  public static final Set<String> KINDS = Set.of("inappropriate", "unblock");

  private final Database db;
  private final PolicyEngine engine;
  private final Clock clock;
  private final ZoneId zone;
  private final Consumer<AuditRecord> auditLog;
  private final Consumer<String> onBlock;
  // Mirrors of the tables the policy needs, touched only on the store thread.
  private List<String> blocked = List.of();
  private List<String> allowed = List.of();
  private List<CurriculumOverride> overrides = List.of();
  private volatile Set<InetAddress> lockdown = Set.of();

  public AdminService(Database db, PolicyEngine engine, Clock clock, ZoneId zone, Consumer<AuditRecord> auditLog,
                      Consumer<String> onBlock) {
    this.db = db;
    this.engine = engine;
    this.clock = clock;
    this.zone = zone;
    this.auditLog = auditLog;
    this.onBlock = onBlock;
    db.run(c -> {
      reloadMirrors(c);
      return null;
    });
    publish();
  }

  public Database db() {
    return db;
  }

  public PolicyEngine engine() {
    return engine;
  }

  String now() {
    return Timestamps.format(clock.instant(), zone);
  }

  String format(Instant instant) {
    return Timestamps.format(instant, zone);
  }

  private void reloadMirrors(Connection c) throws SQLException {
    blocked = Tables.blocks(c).stream().map(Rows.Block::domain).toList();
    allowed = Tables.allows(c).stream().map(Rows.Block::domain).toList();
    List<CurriculumOverride> list = new ArrayList<>();
    Instant now = clock.instant();
    for (Rows.OverrideRow o : Tables.overrides(c)) {
      CurriculumOverride policy = toPolicy(o);
      if (policy.until().isAfter(now)) {
        list.add(policy); // expired ones stay in the table (and the audit) but cost decisions nothing
      }
    }
    overrides = List.copyOf(list);
  }

  static CurriculumOverride toPolicy(Rows.OverrideRow o) {
    InetAddress client = null;
    if (o.client() != null) {
      byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(o.client());
      try {
        client = InetAddress.getByAddress(bytes);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("stored override " + o.id() + " has a bad client " + o.client(), e);
      }
    }
    return new CurriculumOverride(o.id(), o.group(), client, Set.copyOf(o.categories()), Set.copyOf(o.domains()),
        OffsetDateTime.parse(o.until()).toInstant(), o.reason());
  }

  /**
   * Swaps the current admin rules into the policy (one atomic reference update). Called only on
   * the store thread, after a commit: the mirrors it reads are written there too.
   */
  void publish() {
    AdminRules rules = new AdminRules(blocked, allowed, overrides, lockdown);
    engine.update(p -> p.withAdmin(rules));
  }

  /** Sets the devices under lockdown (supervision) and publishes; never blocks the caller. */
  public CompletableFuture<Void> setLockdown(Set<InetAddress> devices) {
    lockdown = Set.copyOf(devices);
    return db.submit(c -> {
      publish(); // on the store thread, so it cannot interleave with a change being published
      return null;
    });
  }

  /**
   * What a change did: its result, the audit line (null when nothing changed), and a newly
   * blocked domain whose open tunnels must close (or null).
   */
  record Outcome<T>(T value, AuditRecord audit, String blocked) {
    static <T> Outcome<T> unchanged(T value) {
      return new Outcome<>(value, null, null);
    }
  }

  AuditRecord audit(String user, String action, String target, String reason) {
    return new AuditRecord(now(), user, action, target, reason);
  }

  /**
   * Runs a change: {@code work} in a transaction, which also records the audit row; after the
   * commit, on the store thread, publishes the new rules, writes the audit line and closes
   * tunnels to a newly blocked domain; only then completes.
   */
  <T> CompletableFuture<T> change(Database.Work<Outcome<T>> work) {
    return db.submit(c -> {
      Outcome<T> o = work.run(c);
      AuditRecord a = o.audit();
      if (a != null) {
        Tables.audit(c, a.ts(), a.user(), a.action(), a.target(), a.reason());
        reloadMirrors(c);
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
    }, db.thread());
  }

  // ---- blocks ----

  public record BlockResult(Rows.Block block, boolean created) {}

  public CompletableFuture<BlockResult> addBlock(String user, String input, String reason, Long reportId) {
    String domain = DomainInput.normalise(input);
    String why = requireReason(reason);
    return change(c -> {
      Tables.Put put = Tables.putBlock(c, "blocks", new Rows.Block(domain, why, user, now(), reportId));
      BlockResult result = new BlockResult(put.row(), put.created());
      return put.created() ? new Outcome<>(result, audit(user, "block", domain, why), domain) : Outcome.unchanged(result);
    });
  }

  public CompletableFuture<Boolean> removeBlock(String user, String domainInput) {
    String domain = DomainInput.normalise(domainInput);
    return change(c -> Tables.removeBlock(c, "blocks", domain)
        ? new Outcome<>(true, audit(user, "unblock", domain, "removed from the admin blocks"), null)
        : Outcome.unchanged(false));
  }

  public CompletableFuture<List<Rows.Block>> blocks() {
    return db.submit(Tables::blocks);
  }

  // ---- reports ----

  public CompletableFuture<Rows.Report> addReport(String user, String url, String kind, String note) {
    if (url == null || url.isBlank()) {
      throw new ApiError(400, "Please give the address (url) of the page you are reporting");
    }
    if (kind == null || !KINDS.contains(kind)) {
      throw new ApiError(400, "kind must be \"inappropriate\" (please block it) or \"unblock\" (please allow it)");
    }
    String host = DomainInput.normalise(url);
    String text = note == null ? "" : note.strip();
    return change(c -> {
      long id = Tables.addReport(c, url.strip(), host, kind, text, user, now());
      return new Outcome<>(Tables.report(c, id), audit(user, "report-" + kind, host, text.isEmpty() ? url : text), null);
    });
  }

  public CompletableFuture<List<Rows.Report>> reports(String status) {
    if (status != null && !Set.of("open", "approved", "dismissed").contains(status)) {
      throw new ApiError(400, "status is open, approved or dismissed");
    }
    return db.submit(c -> Tables.reports(c, status));
  }

  public CompletableFuture<Rows.Report> decide(String user, long id, boolean approve, String reason) {
    String why = requireReason(reason);
    return change(c -> {
      Rows.Report r = Tables.report(c, id);
      if (r == null) {
        throw new ApiError(404, "There is no report " + id);
      }
      if (!r.status().equals("open")) {
        throw new ApiError(409, "Report " + id + " was already " + r.status() + " by " + r.decidedBy());
      }
      String ts = now();
      Tables.decideReport(c, id, approve ? "approved" : "dismissed", user, ts, why);
      boolean block = approve && r.kind().equals("inappropriate");
      String action = !approve ? "dismiss-report" : block ? "approve-report-block" : "approve-report-allow";
      if (approve) {
        Tables.putBlock(c, block ? "blocks" : "allows", new Rows.Block(r.host(), why, user, ts, id));
      }
      return new Outcome<>(Tables.report(c, id), audit(user, action, r.host() + " (report " + id + ")", why),
          block ? r.host() : null);
    });
  }

  // ---- overrides ----

  public CompletableFuture<Rows.OverrideRow> addOverride(String user, Rows.OverrideRow draft) {
    String target = (draft.group() != null ? "group " + draft.group() : "client " + draft.client()) + ": "
        + String.join(",", draft.categories().isEmpty() ? draft.domains() : draft.categories()) + " until " + draft.until();
    return change(c -> {
      long id = Tables.addOverride(c, draft);
      Rows.OverrideRow row = Tables.overrides(c).stream().filter(o -> o.id() == id).findFirst().orElseThrow();
      return new Outcome<>(row, audit(user, "override", target, draft.reason()), null);
    });
  }

  public CompletableFuture<List<Rows.OverrideRow>> overrides() {
    return db.submit(Tables::overrides);
  }

  public CompletableFuture<Boolean> deleteOverride(String user, long id) {
    return change(c -> Tables.deleteOverride(c, id, now())
        ? new Outcome<>(true, audit(user, "delete-override", "override " + id, "ended early"), null)
        : Outcome.unchanged(false));
  }

  // ---- audit ----

  public CompletableFuture<List<Rows.Audit>> audit(int limit) {
    return db.submit(c -> Tables.audit(c, limit));
  }

  static String requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new ApiError(400, "Please give a reason; it is kept in the audit log");
    }
    if (reason.length() > 2000) {
      throw new ApiError(400, "The reason is too long (2000 characters at most)");
    }
    return reason.strip();
  }
}
