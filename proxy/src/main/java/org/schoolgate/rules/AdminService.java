package org.schoolgate.rules;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.schoolgate.admin.ApiError;
import org.schoolgate.admin.Bounds;
import org.schoolgate.log.AuditRecord;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;

/**
 * The rules behind the admin API (and the web console to come): what may be blocked, reported,
 * decided and overridden, checked here and nowhere else; refusals are {@link ApiError}s a
 * headteacher understands. Every change goes through {@link AdminChanges}: durable, audited and
 * in force when its future completes.
 */
public final class AdminService {
  public static final Set<String> KINDS = Set.of("inappropriate", "unblock");

  private final AdminChanges changes;
  private final Store store;
  private final PolicyEngine engine;
  private final org.schoolgate.alert.Alerts alerts;
  private final Clock clock;

  /**
   * @param auditLog hears each change's audit line once it is committed
   * @param onBlock called with a newly blocked domain, to close the open tunnels it now forbids
   * @param snapshot where the last policy is kept for a start while a shared database is away
   *     ({@link PolicySnapshot}); null when the store is this gateway's own
   * @param alerts   raises the safeguarding alert of a filed report, in the report's transaction
   */
  public AdminService(Store store, PolicyEngine engine, Clock clock, ZoneId zone, Consumer<AuditRecord> auditLog,
                      Consumer<String> onBlock, java.nio.file.Path snapshot, org.schoolgate.alert.Alerts alerts) {
    this.changes = new AdminChanges(store, engine, clock, zone, auditLog, onBlock, snapshot);
    this.store = store;
    this.engine = engine;
    this.alerts = alerts;
    this.clock = clock;
    try {
      this.names.replace(namesOf(store.deviceNames().join()));
    } catch (java.util.concurrent.CompletionException e) {
      if (!(e.getCause() instanceof org.schoolgate.store.StoreUnavailableException)) {
        throw e;
      }
      // a trust's database is away at start: devices go unnamed until a name is next set
    }
  }

  private final org.schoolgate.net.DeviceNames names = new org.schoolgate.net.DeviceNames();

  /** The names people gave devices: read by the listeners for log lines (a map read). */
  public org.schoolgate.net.DeviceNames names() {
    return names;
  }

  private static java.util.Map<String, String> namesOf(List<Rows.DeviceName> rows) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    rows.forEach(r -> m.put(r.device(), r.name()));
    return m;
  }

  /**
   * Names a device by its IP address or its MAC (a MAC-keyed name follows the device to a new
   * address); durable and audited, and in the log lines of new requests once the future completes.
   */
  public CompletableFuture<Rows.DeviceName> nameDevice(String user, String device, String name) {
    String key = org.schoolgate.net.DeviceNames.mac(device);
    if (key == null) {
      key = AddressInput.parse(device).getHostAddress();
    }
    if (name == null || name.isBlank()) {
      throw new ApiError(400, "Please give the device a name, like \"Y5 iPad 12\"");
    }
    String text = name.strip();
    if (text.length() > 100 || text.chars().anyMatch(Character::isISOControl)) {
      throw new ApiError(400, "A device's name is one line of at most 100 characters");
    }
    String k = key;
    java.util.concurrent.atomic.AtomicReference<List<Rows.DeviceName>> all = new java.util.concurrent.atomic.AtomicReference<>();
    return changes.change(ops -> {
      Rows.DeviceName row = new Rows.DeviceName(k, text, user, now());
      ops.supervision().nameDevice(row);
      all.set(ops.supervision().deviceNames());
      return new AdminChanges.Outcome<>(row, changes.audit(user, "name-device", k, "named \u201c" + text + "\u201d"), null);
    }).thenApply(row -> {
      names.replace(namesOf(all.get())); // on the store's ordered thread: in commit order
      return row;
    });
  }

  public org.schoolgate.alert.Alerts alerts() {
    return alerts;
  }

  /** Rereads the admin rules (changed by another gateway) and puts them in force here. */
  public CompletableFuture<Void> refresh() {
    return changes.refresh();
  }

  public AdminChanges changes() {
    return changes;
  }

  /** Where the durable state lives (for the read-only listings of other features). */
  public Store store() {
    return store;
  }

  public PolicyEngine engine() {
    return engine;
  }

  public String now() {
    return changes.now();
  }

  public String format(Instant instant) {
    return changes.format(instant);
  }

  /** ISO-8601 with an offset, or a local date-time in the school's time zone; 400 naming {@code field} otherwise. */
  public Instant time(String s, String field) {
    return TimeInput.parse(s, field, engine.policy().config().timezone());
  }

  // ---- blocks ----

  public record BlockResult(Rows.Block block, boolean created) {}

  public CompletableFuture<BlockResult> addBlock(String user, String input, String reason, Long reportId) {
    return addBlock(user, input, reason, reportId, null);
  }

  /** A block for every school of the trust ({@code site} null) or for one school only. */
  public CompletableFuture<BlockResult> addBlock(String user, String input, String reason, Long reportId, String site) {
    String domain = DomainInput.normalise(input);
    String why = Bounds.reason(reason);
    if (site != null && !org.schoolgate.values.SiteName.valid(site)) {
      throw new ApiError(400, "\"" + site + "\" is not a site name (letters, digits, '.', '_' and '-', like mellers-primary)");
    }
    String target = site == null ? domain : domain + " (only at " + site + ")";
    return changes.change(ops -> {
      Store.Added put = ops.rules().addBlock(new Rows.Block(domain, why, user, now(), reportId, site));
      BlockResult result = new BlockResult(put.row(), put.created());
      return put.created() ? new AdminChanges.Outcome<>(result, changes.audit(user, "block", target, why), domain)
          : AdminChanges.Outcome.unchanged(result);
    });
  }

  public CompletableFuture<Boolean> removeBlock(String user, String domainInput) {
    return removeBlock(user, domainInput, "removed from the admin blocks");
  }

  /** Removes an admin block with the person's reason, kept in the audit (issue 24 item 8). */
  public CompletableFuture<Boolean> removeBlock(String user, String domainInput, String reason) {
    String domain = DomainInput.normalise(domainInput);
    return changes.change(ops -> ops.rules().removeBlock(domain)
        ? new AdminChanges.Outcome<>(true, changes.audit(user, "unblock", domain, reason), null)
        : AdminChanges.Outcome.unchanged(false));
  }

  public CompletableFuture<List<Rows.Block>> blocks() {
    return store.blocks();
  }

  // ---- reports ----

  public CompletableFuture<Rows.Report> addReport(String user, String url, String kind, String note) {
    if (url == null || url.isBlank()) {
      throw new ApiError(400, "Please give the address (url) of the page you are reporting");
    }
    if (kind == null || !KINDS.contains(kind)) {
      throw new ApiError(400, "kind must be \"inappropriate\" (please block it) or \"unblock\" (please allow it)");
    }
    Bounds.url(url);
    String text = Bounds.note(note, "note");
    String host = DomainInput.normalise(url);
    Instant now = clock.instant();
    ZoneId zone = engine.policy().config().timezone();
    String today = format(Bounds.startOfDay(now, zone));
    return changes.change(ops -> {
      if (ops.reports().count(new Store.ReportQuery(null, null, user, 0, 0, today, null)) >= Bounds.REPORTS_PER_DAY) {
        throw Bounds.tooManyReports(now, zone);
      }
      Rows.Report filed = ops.reports().file(url.strip(), host, kind, text, user, now());
      // a repeat is the same reported host from the same reporter (SPEC 11); what they typed is one capped line
      alerts.raise(ops, new org.schoolgate.alert.Alerts.Occurrence("report", clock.instant(), "", null, "",
          user + " reported " + org.schoolgate.alert.Inert.line(filed.url(), 300)
              + (kind.equals("inappropriate") ? " as inappropriate" : ", asking for it to be unblocked")
              + (text.isEmpty() ? "" : ": \u201c" + org.schoolgate.alert.Inert.line(text, 500) + "\u201d")
              + " (report " + filed.id() + ")", "report " + filed.id(), host + " reported by " + user));
      return new AdminChanges.Outcome<>(filed, changes.audit(user, "report-" + kind, host, text.isEmpty() ? url : text), null);
    }).whenComplete((r, e) -> alerts.wake());
  }

  /**
   * Newest first, at most {@code limit}, below id {@code before} (0: from the newest); {@code status},
   * {@code site} (a school of the trust) and {@code by} (who filed them) null for all.
   */
  public CompletableFuture<List<Rows.Report>> reports(String status, String site, String by, long before, int limit) {
    if (status != null && !Set.of("open", "approved", "dismissed", Store.DECIDED).contains(status)) {
      throw new ApiError(400, "status is open, approved or dismissed");
    }
    return store.reportPage(new Store.ReportQuery(status, site, by, before, limit, null, null));
  }

  /** How many reports have {@code status} (null: any). */
  public CompletableFuture<Long> countReports(String status) {
    return store.countReports(new Store.ReportQuery(status, null, null, 0, 0, null, null));
  }

  /** Approves (an inappropriate site is blocked, an unblock request allowed) or dismisses an open report. */
  public CompletableFuture<Rows.Report> decide(String user, long id, boolean approve, String reason) {
    String why = Bounds.reason(reason);
    return changes.change(ops -> {
      Rows.Report r = ops.reports().get(id);
      if (r == null) {
        throw new ApiError(404, "There is no report " + id);
      }
      if (!r.status().equals("open")) {
        throw new ApiError(409, "Report " + id + " was already " + r.status() + " by " + r.decidedBy());
      }
      String ts = now();
      ops.reports().decide(id, approve ? "approved" : "dismissed", user, ts, why);
      boolean block = approve && r.kind().equals("inappropriate");
      String action = !approve ? "dismiss-report" : block ? "approve-report-block" : "approve-report-allow";
      if (approve) {
        Rows.Block entry = new Rows.Block(r.host(), why, user, ts, id);
        if (block) {
          ops.rules().addBlock(entry);
        } else {
          ops.rules().addAllow(entry);
        }
      }
      return new AdminChanges.Outcome<>(ops.reports().get(id), changes.audit(user, action, r.host() + " (report " + id + ")", why),
          block ? r.host() : null);
    });
  }

  // ---- overrides ----

  /** Checks an override as given ({@link OverrideRequest#check}) and adds it. */
  public CompletableFuture<Rows.OverrideRow> addOverride(String user, OverrideRequest request) {
    Rows.OverrideRow draft = request.check(changes, user);
    String target = (draft.group() != null ? "group " + draft.group() : "client " + draft.client()) + ": "
        + String.join(",", draft.categories().isEmpty() ? draft.domains() : draft.categories()) + " until " + draft.until();
    return changes.change(ops ->
        new AdminChanges.Outcome<>(ops.rules().addOverride(draft), changes.audit(user, "override", target, draft.reason()), null));
  }

  public CompletableFuture<List<Rows.OverrideRow>> overrides() {
    return store.overrides();
  }

  public CompletableFuture<Boolean> deleteOverride(String user, long id) {
    return deleteOverride(user, id, "ended early");
  }

  /** Ends an allowance early with the person's reason, kept in the audit (issue 24 item 8). */
  public CompletableFuture<Boolean> deleteOverride(String user, long id, String reason) {
    return changes.change(ops -> ops.rules().endOverride(id, now())
        ? new AdminChanges.Outcome<>(true, changes.audit(user, "delete-override", "override " + id, reason), null)
        : AdminChanges.Outcome.unchanged(false));
  }

  // ---- audit ----

  /** Newest first; {@code site} (a school of the trust) null for all. */
  public CompletableFuture<List<Rows.Audit>> audit(long before, int limit, String site) {
    return store.audit(before, limit, site);
  }
}
