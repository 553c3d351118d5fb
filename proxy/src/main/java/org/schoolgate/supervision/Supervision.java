package org.schoolgate.supervision;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.schoolgate.alert.Alerts;
import org.schoolgate.config.Config;
import org.schoolgate.config.Durations;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.CircumventionRecord;
import org.schoolgate.log.Durable;
import org.schoolgate.log.ProxyEvents;
import org.schoolgate.rules.AdminChanges;
import org.schoolgate.rules.AdminService;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreUnavailableException;
import org.schoolgate.values.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the evidence and acts on it: every circumvention attempt is stored (for
 * {@code /api/events}); {@code supervise_after} attempts by one device inside
 * {@code supervise_within} put it under supervision ({@code lockdown}: only
 * {@code supervision_allow} is reachable; {@code flag}: recorded only) until a member of staff
 * lifts it. Events arrive on event loops and are handed to this class's own thread at once;
 * nothing here blocks a listener, and no event is dropped.
 *
 * <p>Events are saved in {@link EventBursts}: an attempt's refusal is sent once it is durable, in
 * the database or, while a shared database is away, in the queue on disk.
 *
 * <p>It also raises the safeguarding alerts of what the listeners see (SPEC 11): a device put
 * under supervision (in the transaction that supervises it) and a pupil blocked in one of
 * {@code alerts.categories} (in the next burst's transaction, with the events).
 */
public final class Supervision implements ProxyEvents, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Supervision.class);

  private final AdminService service;
  private final AdminChanges changes;
  private final Store store;
  private final Config.Circumvention rules;
  private final Clock clock;
  private final Consumer<CircumventionRecord> eventLog;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(Threads.daemon("schoolgate-supervision"));
  // Touched only on this class's thread.
  private final Map<String, ArrayDeque<Instant>> recent = new HashMap<>();
  private final Map<String, Rows.Device> supervised = new HashMap<>();
  private final EventBursts bursts;
  private final Alerts alerts;
  private final CategoryAlerts categoryAlerts;
  /** Whether the DNS guard strips ECH ({@link Config#dnsGuardOn}): {@code ech} attempts then do not count. */
  private final boolean dnsGuard;

  /**
   * @param queueFile    where events wait while the database is away ({@link EventQueue})
   * @param staff        whether a client of a group is staff ({@link Config#staff}), whose blocks raise no alert
   * @param dnsGuard     whether the DNS guard strips ECH ({@link Config#dnsGuardOn})
   */
  public Supervision(AdminService service, Config.Circumvention rules, Clock clock, Consumer<CircumventionRecord> eventLog,
                     Path queueFile, Alerts alerts, java.util.function.BiPredicate<InetAddress, String> staff,
                     boolean dnsGuard)
      throws IOException {
    this.dnsGuard = dnsGuard;
    this.alerts = alerts;
    this.service = service;
    this.changes = service.changes();
    this.store = changes.store();
    this.rules = rules;
    this.clock = clock;
    this.eventLog = eventLog;
    EventQueue queue = new EventQueue(queueFile);
    this.bursts = new EventBursts(store, queue, alerts);
    this.categoryAlerts = new CategoryAlerts(alerts.categories(), staff, bursts, thread);
    List<Rows.Device> devices;
    try {
      devices = store.devices().join();
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof StoreUnavailableException)) {
        throw e;
      }
      devices = changes.supervised(); // the database is away: those of the local snapshot
      bursts.away();
    }
    for (Rows.Device d : devices) {
      supervised.put(d.address(), d);
    }
    for (Rows.Device d : queue.read().devices()) {
      supervised.put(d.address(), d); // supervised while the database was away, before a restart
    }
    changes.setSupervised(supervised.values()).join();
    if (!queue.isEmpty()) {
      log.warn("{} event(s) wait in {} for the database", queue.size(), queueFile);
    }
  }

  @Override
  public void circumvention(CircumventionRecord r) {
    thread.execute(() -> record(r, null));
  }

  /** On an event loop: a block in one of {@code alerts.categories} may be an alert ({@link CategoryAlerts}). */
  @Override
  public void access(AccessRecord r) {
    categoryAlerts.access(r);
  }

  /** As above; {@code durable} hears when the event is durable (in the database, or queued on disk). */
  @Override
  public void circumvention(CircumventionRecord r, Durable durable) {
    durable.hold();
    try {
      thread.execute(() -> record(r, durable));
    } catch (RejectedExecutionException e) {
      durable.written(false); // shutting down: the event cannot be stored
    }
  }

  /** The stored row of an events.jsonl line. */
  private Rows.Event row(CircumventionRecord r) {
    return new Rows.Event(0, service.format(r.ts()), r.client(), r.group(), r.kind(), r.host(), r.detail(), r.mac(), null,
        r.user());
  }

  private void record(CircumventionRecord r, Durable durable) {
    // Events queued behind this one are saved with it in one transaction (one fsync per burst).
    if (bursts.isEmpty()) {
      thread.execute(bursts::save);
    }
    bursts.add(row(r), durable);
    if (!countsTowardsSupervision(r.kind(), dnsGuard)) {
      return; // stored and logged, never counted
    }
    Instant now = r.ts();
    ArrayDeque<Instant> times = recent.computeIfAbsent(r.client(), k -> new ArrayDeque<>());
    times.addLast(now);
    Instant cutoff = now.minus(rules.superviseWithin());
    while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
      times.pollFirst();
    }
    Rows.Device current = supervised.get(r.client());
    if (current != null) {
      Set<String> kinds = new LinkedHashSet<>(current.kinds());
      kinds.add(r.kind());
      Rows.Device updated = new Rows.Device(current.address(), current.since(), current.attempts() + 1, List.copyOf(kinds),
          current.mode(), r.mac() != null ? r.mac() : current.mac());
      supervised.put(r.client(), updated);
      bursts.device(updated);
      return;
    }
    if (times.size() >= rules.superviseAfter()) {
      Set<String> kinds = new LinkedHashSet<>();
      kinds.add(r.kind());
      Rows.Device device = new Rows.Device(r.client(), service.format(now), times.size(), List.copyOf(kinds),
          rules.supervision().name().toLowerCase(Locale.ROOT), r.mac());
      supervised.put(r.client(), device);
      times.clear();
      CircumventionRecord event = new CircumventionRecord(now, r.zone(), r.client(), r.group(), "supervised", r.host(),
          device.attempts() + " attempts within " + Durations.format(rules.superviseWithin())
              + "; mode " + device.mode(), r.mac(), r.name(), r.user());
      bursts.add(row(event), null);
      bursts.supervised(device); // in force on every gateway of a trust once saved
      // The safeguarding alert, in the transaction that supervises the device (an outbox)
      bursts.alert(new Alerts.Occurrence("supervised", now, r.client(), r.mac(), r.group(),
          "put under supervision (" + device.mode() + ") after " + device.attempts() + " attempts to get round the filter within "
              + Durations.format(rules.superviseWithin()) + "; the last: " + r.kind()
              + (r.host() == null || r.host().isEmpty() ? "" : " to " + r.host()) + Alerts.signedIn(r.user()), null));
      bursts.save();
      eventLog.accept(event);
      if (rules.supervision() == Config.SupervisionMode.LOCKDOWN) {
        changes.setSupervised(supervised.values()).join();
      }
    }
  }

  /**
   * Whether an attempt of this kind counts towards supervision (SPEC 14): a {@code dns} look-up
   * never does (browsers resolve names ahead of any click), nor an {@code ech} connection while
   * the DNS guard strips ECH (the browser met it by accident, not by intent).
   */
  public static boolean countsTowardsSupervision(String kind, boolean dnsGuard) {
    return !"dns".equals(kind) && !(dnsGuard && "ech".equals(kind));
  }

  /** While events wait in the queue, tries the database again (called every few seconds). */
  public void retryQueued() {
    try {
      thread.execute(bursts::retry);
    } catch (RejectedExecutionException closing) {
      // shutting down
    }
  }

  /** Lifts supervision (staff action); false if the device was not supervised. */
  public CompletableFuture<Boolean> release(String user, InetAddress device) {
    return release(user, device, "supervision lifted");
  }

  /** Lifts supervision with the person's reason, kept in the audit (issue 24 item 8). */
  public CompletableFuture<Boolean> release(String user, InetAddress device, String reason) {
    String address = device.getHostAddress();
    return CompletableFuture.supplyAsync(() -> {
      Rows.Device d = supervised.get(address);
      if (d == null) {
        return false;
      }
      Instant now = clock.instant();
      String group = service.engine().policy().groupOf(device);
      CircumventionRecord event = new CircumventionRecord(now, service.engine().policy().config().timezone(), address,
          group, "released", "", "supervision lifted by " + user, d.mac(), service.names().nameOf(address, d.mac()));
      changes.change(ops -> {
        ops.supervision().removeDevice(address);
        ops.events().record(List.of(row(event)));
        ops.changed(Store.Changed.DEVICES);
        return new AdminChanges.Outcome<>(true, changes.audit(user, "release-supervision", address, reason), null);
      }).join(); // the database away: 503, and the device stays supervised
      supervised.remove(address);
      bursts.forget(address);
      recent.remove(address);
      eventLog.accept(event);
      changes.setSupervised(supervised.values()).join();
      return true;
    }, thread);
  }

  /**
   * Rereads the supervised devices after another gateway supervised or released one, and puts
   * lockdown in force to match. What this thread holds unsaved (and what waits in the queue) is
   * saved first, so the stored rows are the whole story.
   */
  public CompletableFuture<Void> refresh() {
    return CompletableFuture.runAsync(() -> {
      bursts.retry(); // the database is back (or was never away): what waited goes first
      bursts.save();
      List<Rows.Device> stored = store.devices().join();
      supervised.clear();
      for (Rows.Device d : stored) {
        supervised.put(d.address(), d);
      }
      changes.setSupervised(supervised.values()).join();
    }, thread);
  }

  /** The supervised devices as stored, once what this thread holds is saved. */
  public CompletableFuture<List<Rows.Device>> devices() {
    return CompletableFuture.runAsync(bursts::save, thread).thenCompose(x -> store.devices());
  }

  public CompletableFuture<List<Rows.Event>> events(Store.EventQuery query) {
    // Save what this thread holds first, so a query sees every attempt handed over before it.
    return CompletableFuture.runAsync(bursts::save, thread).thenCompose(x -> store.events(query));
  }

  /** Events of these kinds per day for {@code days} days from {@code first}, every attempt handed over before included. */
  public CompletableFuture<List<Rows.DayCount>> eventsPerDay(List<String> kinds, java.time.LocalDate first, int days) {
    return CompletableFuture.runAsync(bursts::save, thread).thenCompose(x -> store.eventsPerDay(kinds, first, days));
  }

  /** Deletes stored events older than the retention period. */
  public CompletableFuture<Integer> expire(Duration retention) {
    String cutoff = service.format(clock.instant().minus(retention));
    return store.deleteEventsBefore(cutoff);
  }

  @Override
  public void close() {
    Threads.stop(thread, false);
  }
}
