package org.schoolgate.store;

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

  /** The steps a {@link #transaction} is made of, in the product's words. */
  interface Ops extends AlertOps {
    /**
     * Records, in this transaction, that {@code what} ({@link Changed}) changed, so that every
     * gateway sharing the store hears of it once it commits ({@link #follow}). Nothing for a
     * store that nobody shares.
     */
    void changed(String what);

    // ---- admin blocks and allows (a report approved as "unblock" allows its host) ----

    /** The site (school) of the gateway this store was opened by, written on what it adds; null for none. */
    String site();

    /** Every admin block, those given to one site included (see {@link Rows.Block#appliesAt}). */
    List<Rows.Block> blocks();

    List<Rows.Block> allows();

    /** Adds a block unless its domain is there already; returns the stored row and whether it is new. */
    Added addBlock(Rows.Block block);

    /** Adds an allow unless its domain is there already, as {@link #addBlock}. */
    Added addAllow(Rows.Block allow);

    /** False when the domain was not blocked. */
    boolean removeBlock(String domain);

    // ---- reports ----

    /** Files a report (status {@code open}) and returns it with its new id. */
    Rows.Report fileReport(String url, String host, String kind, String note, String by, String at);

    /** The report, or null. */
    Rows.Report report(long id);

    /** Newest first, at most {@code q.limit()}, texts cut ({@link Rows#TEXT_SHOWN}). */
    List<Rows.Report> reportPage(ReportQuery q);

    /** How many reports match {@code q} (its {@code before} and {@code limit} aside). */
    long countReports(ReportQuery q);

    /** Newest first, the first {@value ReportQuery#MOST}; {@code status} and {@code site} null for all of them. */
    default List<Rows.Report> reports(String status, String site) {
      return reportPage(new ReportQuery(status, site, null, 0, ReportQuery.MOST, null, null));
    }

    default List<Rows.Report> reports(String status) {
      return reports(status, null);
    }

    /** Records the decision ({@code approved} or {@code dismissed}) on an open report. */
    void decideReport(long id, String status, String by, String at, String reason);

    // ---- overrides ----

    /** Adds an override (its id is ignored) and returns it with its new id. */
    Rows.OverrideRow addOverride(Rows.OverrideRow draft);

    /** Those not ended early, oldest first (expired ones included: they stay for the record). */
    List<Rows.OverrideRow> overrides();

    /** Ends an override early; false when there is no such override in force. */
    boolean endOverride(long id, String at);

    // ---- audit ----

    void appendAudit(String ts, String user, String action, String target, String reason);

    /** Newest first, at most {@code limit}, with ids below {@code before} (0: from the newest); {@code site} null for every site's. */
    List<Rows.Audit> audit(long before, int limit, String site);

    default List<Rows.Audit> audit(int limit, String site) {
      return audit(0, limit, site);
    }

    default List<Rows.Audit> audit(int limit) {
      return audit(limit, null);
    }

    // ---- circumvention events and supervised devices ----

    /** Stores events in the order given (an event's own site, or this gateway's when it has none). */
    void recordEvents(List<Rows.Event> events);

    /** Newest first (by time, then by order of recording). */
    List<Rows.Event> events(EventQuery query);

    /** How many events of {@code kind} have a timestamp from {@code from} (inclusive) to {@code until} (exclusive). */
    long countEvents(String kind, String from, String until);

    /** Deletes the events older than {@code ts}; returns how many. */
    int deleteEventsBefore(String ts);

    /** Puts a device under supervision, or updates its attempts, kinds and MAC (never its start or mode). */
    void putDevice(Rows.Device device);

    /** False when the device was not under supervision. */
    boolean removeDevice(String address);

    /** Newest supervision first. */
    List<Rows.Device> devices();

    // ---- safeguarding alerts: AlertOps ----

    // ---- counters for the annual review ----

    /** Adds each count to the stored one for its day, group, category, site and decision. */
    void addCounts(List<Rows.Count> counts);

    /** Totals per group, category, site and decision over the days from {@code fromDay} to {@code toDay}, both included. */
    List<Rows.Count> countTotals(String fromDay, String toDay);

    /** Deletes the counts of days before {@code day}; returns how many rows. */
    int deleteCountsBefore(String day);

    /** The first {@code limit} audit rows with a timestamp from {@code from} (inclusive) to {@code until} (exclusive), oldest first. */
    List<Rows.Audit> auditBetween(String from, String until, int limit);

    default List<Rows.Audit> auditBetween(String from, String until) {
      return auditBetween(from, until, Integer.MAX_VALUE);
    }

    /** How many audit rows {@link #auditBetween} would give without a limit. */
    long countAuditBetween(String from, String until);

    // ---- device names ----

    /** Names a device (by address or MAC), replacing its old name. */
    void nameDevice(Rows.DeviceName name);

    /** The name of a device by address or MAC, or null. */
    Rows.DeviceName deviceName(String device);

    /** Every named device, by key. */
    List<Rows.DeviceName> deviceNames();

    // ---- users ----

    /** Adds a user, or replaces the role and password of one who exists (keeping when it was created). */
    void putUser(Rows.User user);

    /** The user, or null. */
    Rows.User user(String name);

    /** By name. */
    List<Rows.User> users();

    /** False when there was no such user. */
    boolean removeUser(String name);

    // ---- identities (SPEC 15) ----

    /** Who is on which address: this gateway's site's mappings, written and read through it. */
    IdentityOps identities();
  }

  /** What {@link Ops#addBlock} found: the stored row, and whether this call added it. */
  record Added(Rows.Block row, boolean created) {}

  /**
   * The filters of a list of reports, each null (or 0) for "any": {@code by} who filed them,
   * {@code before} an id (the next page of a newest-first list), {@code from}/{@code until}
   * timestamps of filing (until exclusive); at most {@code limit}.
   */
  record ReportQuery(String status, String site, String by, long before, int limit, String from, String until) {
    /** The longest list of reports one call reads. */
    public static final int MOST = 1_000;
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

  // ---- single operations, one transaction each ----

  default CompletableFuture<List<Rows.Block>> blocks() {
    return transaction(Ops::blocks);
  }

  default CompletableFuture<List<Rows.Report>> reports(String status) {
    return reports(status, null);
  }

  default CompletableFuture<List<Rows.Report>> reports(String status, String site) {
    return transaction(ops -> ops.reports(status, site));
  }

  default CompletableFuture<List<Rows.Report>> reportPage(ReportQuery q) {
    return transaction(ops -> ops.reportPage(q));
  }

  default CompletableFuture<Long> countReports(ReportQuery q) {
    return transaction(ops -> ops.countReports(q));
  }

  default CompletableFuture<List<Rows.Audit>> audit(long before, int limit, String site) {
    return transaction(ops -> ops.audit(before, limit, site));
  }

  default CompletableFuture<List<Rows.OverrideRow>> overrides() {
    return transaction(Ops::overrides);
  }

  default CompletableFuture<List<Rows.Audit>> audit(int limit) {
    return audit(limit, null);
  }

  default CompletableFuture<List<Rows.Audit>> audit(int limit, String site) {
    return transaction(ops -> ops.audit(limit, site));
  }

  /** A burst of events and the supervised devices they updated, together. */
  default CompletableFuture<Void> recordEvents(List<Rows.Event> events, List<Rows.Device> devices) {
    return transaction(ops -> {
      ops.recordEvents(events);
      devices.forEach(ops::putDevice);
      return null;
    });
  }

  default CompletableFuture<List<Rows.Event>> events(EventQuery query) {
    return transaction(ops -> ops.events(query));
  }

  /**
   * Events of each of {@code kinds} on each of {@code days} days from {@code first} (the date of
   * their timestamp, which is written in the school's time zone), in one transaction: one count
   * over the (kind, ts) index per day and kind, so it reads no table rows.
   */
  default CompletableFuture<List<Rows.DayCount>> eventsPerDay(List<String> kinds, java.time.LocalDate first, int days) {
    return transaction(ops -> {
      List<Rows.DayCount> out = new java.util.ArrayList<>();
      for (int d = 0; d < days; d++) {
        String day = first.plusDays(d).toString();
        String next = first.plusDays(d + 1).toString();
        for (String kind : kinds) {
          long n = ops.countEvents(kind, day, next);
          if (n > 0) {
            out.add(new Rows.DayCount(day, kind, n));
          }
        }
      }
      return out;
    });
  }

  default CompletableFuture<Integer> deleteEventsBefore(String ts) {
    return transaction(ops -> ops.deleteEventsBefore(ts));
  }

  default CompletableFuture<List<Rows.Device>> devices() {
    return transaction(Ops::devices);
  }

  default CompletableFuture<List<Rows.Alert>> alerts(String from, String until, int limit) {
    return alerts(from, until, limit, null);
  }

  default CompletableFuture<List<Rows.Alert>> alerts(String from, String until, int limit, String site) {
    return transaction(ops -> ops.alerts(from, until, limit, site));
  }

  default CompletableFuture<List<Rows.DeviceName>> deviceNames() {
    return transaction(Ops::deviceNames);
  }

  default CompletableFuture<Rows.User> user(String name) {
    return transaction(ops -> ops.user(name));
  }

  default CompletableFuture<List<Rows.User>> users() {
    return transaction(Ops::users);
  }
}
