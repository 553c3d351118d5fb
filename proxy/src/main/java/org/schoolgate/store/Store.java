package org.schoolgate.store;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where schoolgate's durable state lives: admin blocks and allows, reports, overrides, users,
 * supervised devices, circumvention events and the audit trail. {@link SqliteStore} keeps it in
 * a file in {@code data_dir}; {@link PostgresStore} in one database shared by a trust's gateways
 * (SPEC section 12). Both pass {@code StoreContract}.
 *
 * <p>Every operation is asynchronous and never runs on the caller's thread (so never on an event
 * loop). Its future completes after the transaction is committed and on disk: it survives
 * {@code kill -9} and a power cut. A failure completes it exceptionally with
 * {@link StoreException} (or whatever the work threw), and nothing of that transaction is kept.
 * Transactions run one after another, in the order they were submitted.
 *
 * <p>The single operations below are one transaction each. A change made of several steps that
 * must stand or fall together (a block and its audit row; a report's decision, its block or allow
 * and its audit row; a burst of events and the devices they updated) is one
 * {@link #transaction} over the narrow {@link Ops}.
 */
public interface Store extends AutoCloseable {

  /**
   * Runs {@code work} in one transaction: all its steps are kept, or (when it throws) none.
   * The {@link Ops} are valid only inside {@code work}, on the thread that calls it.
   */
  <T> CompletableFuture<T> transaction(Function<Ops, T> work);

  /**
   * Runs tasks in order with the transactions: a task given here after a transaction's future
   * completed never overlaps another transaction, and tasks never overlap one another. For
   * publishing state read inside a transaction (the admin rules), in commit order.
   */
  Executor ordered();

  /** What {@link #follow} reports when anything may have changed (at the start, after a reconnection). */
  Set<String> EVERYTHING = Set.of(Changed.RULES, Changed.DEVICES, Changed.IDENTITIES);

  /**
   * Follows the changes that others sharing this store commit (each recorded by
   * {@link Ops#changed} in its own transaction): calls {@code onChange} with what changed, on a
   * thread of the store's own, as soon as it can after the commit (PostgreSQL: LISTEN/NOTIFY,
   * well within a second), and with {@link #EVERYTHING} once it is following (again), since
   * anything may have changed before. It must not block. A store nobody else shares (SQLite)
   * never calls it. Following stops when the store closes.
   */
  default void follow(Consumer<Set<String>> onChange) {}

  /** Stops taking work, finishes what was submitted (up to a few seconds) and closes. */
  @Override
  void close();

  /** What {@link Ops#changed} names: the parts of the shared state that gateways hold in memory. */
  final class Changed {
    /** Admin blocks, allows and overrides: the admin rules of the policy. */
    public static final String RULES = "rules";
    /** Supervised devices. */
    public static final String DEVICES = "devices";
    /** Who is on which address (RADIUS accounting, SPEC 15). */
    public static final String IDENTITIES = "identities";

    private Changed() {}
  }

  /**
   * The steps a {@link #transaction} is made of, in the product's words, one aggregate each: its
   * reads and writes see this transaction only.
   */
  interface Ops {
    /**
     * Records, in this transaction, that {@code what} ({@link Changed}) changed, so that every
     * gateway sharing the store hears of it once it commits ({@link #follow}). Nothing for a
     * store that nobody shares.
     */
    void changed(String what);

    /** The site (school) of the gateway this store was opened by, written on what it adds; null for none. */
    String site();

    /** Admin blocks, allows and overrides. */
    RuleOps rules();

    /** Reports of wrongly blocked or allowed sites. */
    ReportOps reports();

    /** The audit trail. */
    AuditOps audit();

    /** Circumvention events. */
    EventOps events();

    /** Supervised devices and device names. */
    SupervisionOps supervision();

    /** Safeguarding alerts (SPEC 11). */
    AlertOps alerts();

    /** Request counters for the annual review. */
    CounterOps counters();

    /** The console's users. */
    UserOps users();

    /** Who is on which address: this gateway's site's mappings, written and read through it (SPEC 15). */
    IdentityOps identities();
  }

  /** What {@link RuleOps#addBlock} found: the stored row, and whether this call added it. */
  record Added(Rows.Block row, boolean created) {}

  /** A report query's {@code status} for every report decided (approved or dismissed), not open. */
  String DECIDED = "decided";

  /**
   * The filters of a list of reports, each null (or 0) for "any": {@code by} who filed them,
   * {@code before} an id (the next page of a newest-first list), {@code from}/{@code until}
   * timestamps of filing (until exclusive); at most {@code limit}.
   */

  record ReportQuery(String status, String site, String by, long before, int limit, String from, String until) {
    /** The longest list of reports one call reads. */
    public static final int MOST = 1_000;

    /** Newest first, the first {@value #MOST}; {@code status} and {@code site} null for all of them. */
    public static ReportQuery latest(String status, String site) {
      return new ReportQuery(status, site, null, 0, MOST, null, null);
    }
  }

  /** The filters of {@code /api/events}: each null for "any"; {@code since} inclusive. */
  record EventQuery(String kind, String client, String since, int limit, String site) {
    public EventQuery(String kind, String client, String since, int limit) {
      this(kind, client, since, limit, null);
    }

    public static EventQuery latest(int limit) {
      return new EventQuery(null, null, null, limit);
    }
  }

  // ---- single steps, one transaction each ----

  default CompletableFuture<List<Rows.Block>> blocks() {
    return transaction(ops -> ops.rules().blocks());
  }

  default CompletableFuture<List<Rows.OverrideRow>> overrides() {
    return transaction(ops -> ops.rules().overrides());
  }

  default CompletableFuture<List<Rows.Report>> reports(String status) {
    return reports(status, null);
  }

  default CompletableFuture<List<Rows.Report>> reports(String status, String site) {
    return reportPage(ReportQuery.latest(status, site));
  }

  default CompletableFuture<List<Rows.Report>> reportPage(ReportQuery q) {
    return transaction(ops -> ops.reports().page(q));
  }

  default CompletableFuture<Long> countReports(ReportQuery q) {
    return transaction(ops -> ops.reports().count(q));
  }

  default CompletableFuture<List<Rows.Audit>> audit(int limit) {
    return audit(0, limit, null);
  }

  default CompletableFuture<List<Rows.Audit>> audit(int limit, String site) {
    return audit(0, limit, site);
  }

  default CompletableFuture<List<Rows.Audit>> audit(long before, int limit, String site) {
    return transaction(ops -> ops.audit().page(before, limit, site));
  }

  /** A burst of events and the supervised devices they updated, together ({@link Supervised}). */
  default CompletableFuture<Void> recordEvents(List<Rows.Event> events, List<Rows.Device> devices) {
    return transaction(new Supervised(events, devices));
  }

  default CompletableFuture<List<Rows.Event>> events(EventQuery query) {
    return transaction(ops -> ops.events().list(query));
  }

  /** {@link EventOps#perDay}, in one transaction. */
  default CompletableFuture<List<Rows.DayCount>> eventsPerDay(List<String> kinds, LocalDate first, int days) {
    return transaction(ops -> ops.events().perDay(kinds, first, days));
  }

  default CompletableFuture<Integer> deleteEventsBefore(String ts) {
    return transaction(ops -> ops.events().deleteBefore(ts));
  }

  default CompletableFuture<List<Rows.Device>> devices() {
    return transaction(ops -> ops.supervision().devices());
  }

  default CompletableFuture<List<Rows.DeviceName>> deviceNames() {
    return transaction(ops -> ops.supervision().deviceNames());
  }

  default CompletableFuture<List<Rows.Alert>> alerts(String from, String until, int limit) {
    return alerts(from, until, limit, null);
  }

  default CompletableFuture<List<Rows.Alert>> alerts(String from, String until, int limit, String site) {
    return transaction(ops -> ops.alerts().list(from, until, limit, site));
  }

  default CompletableFuture<Rows.User> user(String name) {
    return transaction(ops -> ops.users().get(name));
  }

  default CompletableFuture<List<Rows.User>> users() {
    return transaction(ops -> ops.users().list());
  }
}
