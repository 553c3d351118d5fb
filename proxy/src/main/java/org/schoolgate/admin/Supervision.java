package org.schoolgate.admin;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.schoolgate.alert.Alerts;
import org.schoolgate.config.Config;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.CircumventionRecord;
import org.schoolgate.log.ProxyEvents;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;

/**
 * Keeps the evidence and acts on it: every circumvention attempt is stored (for
 * {@code /api/events}); {@code supervise_after} attempts by one device inside
 * {@code supervise_within} put it under supervision ({@code lockdown}: only
 * {@code supervision_allow} is reachable; {@code flag}: recorded only) until a member of staff
 * lifts it. Events arrive on event loops and are handed to this class's own thread at once;
 * nothing here blocks a listener, and no event is dropped.
 *
 * <p>It also raises the safeguarding alerts of what the listeners see (SPEC 11): a device put
 * under supervision (in the transaction that supervises it) and a pupil blocked in one of
 * {@code alerts.categories} (in the next batch's transaction, with the events).
 */
public final class Supervision implements ProxyEvents, AutoCloseable {
  private final AdminService service;
  private final AdminChanges changes;
  private final Store store;
  private final Config.Circumvention rules;
  private final Clock clock;
  private final Consumer<CircumventionRecord> eventLog;
  private final Alerts alerts;
  /** Read on event loops: a blocked request in one of these may be an alert. */
  private final Set<String> alertCategories;
  private final Config.Admin admin;
  private final String defaultGroup;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "schoolgate-supervision");
    t.setDaemon(true);
    return t;
  });
  // Touched only on this class's thread.
  private final Map<String, ArrayDeque<Instant>> recent = new HashMap<>();
  private final Map<String, Rows.Device> supervised = new HashMap<>();
  private final List<Rows.Event> unsaved = new java.util.ArrayList<>();
  /** The refusals waiting for {@code unsaved} to be committed. */
  private final List<org.schoolgate.log.Durable> unacknowledged = new java.util.ArrayList<>();
  private final Set<String> dirtyDevices = new LinkedHashSet<>();
  private final List<Alerts.Occurrence> unsavedAlerts = new java.util.ArrayList<>();

  public Supervision(AdminService service, Config.Circumvention rules, Clock clock, Consumer<CircumventionRecord> eventLog) {
    this(service, rules, clock, eventLog, Alerts.OFF, new Config.Admin(List.of(), null), "");
  }

  /**
   * @param admin        who may reach the console: a blocked client that may, outside the default group, is staff
   * @param defaultGroup the pupils' (fail-closed) group
   */
  public Supervision(AdminService service, Config.Circumvention rules, Clock clock, Consumer<CircumventionRecord> eventLog,
                     Alerts alerts, Config.Admin admin, String defaultGroup) {
    this.alerts = alerts;
    this.alertCategories = alerts.categories();
    this.admin = admin;
    this.defaultGroup = defaultGroup;
    this.service = service;
    this.changes = service.changes();
    this.store = changes.store();
    this.rules = rules;
    this.clock = clock;
    this.eventLog = eventLog;
    for (Rows.Device d : store.devices().join()) {
      supervised.put(d.address(), d);
    }
    changes.setLockdown(lockdownSet()).join();
  }

  @Override
  public void circumvention(CircumventionRecord r) {
    thread.execute(() -> record(r, null));
  }

  /** On an event loop: only a set look-up here; a block in an alert category goes to this class's thread. */
  @Override
  public void access(AccessRecord r) {
    if (r.category() != null && "block".equals(r.decision()) && alertCategories.contains(r.category())) {
      try {
        thread.execute(() -> blockedInCategory(r));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // shutting down
      }
    }
  }

  /** A staff member is never a pupil: they reach the console and are not in the default group (as block pages decide). */
  private void blockedInCategory(AccessRecord r) {
    InetAddress client = org.schoolgate.values.HostSyntax.ipAddress(r.client());
    if (client != null && admin.reaches(client) && !defaultGroup.equals(r.group())) {
      return;
    }
    if (unsaved.isEmpty() && dirtyDevices.isEmpty() && unsavedAlerts.isEmpty()) {
      thread.execute(this::saveEvents);
    }
    String site = r.host() + (r.path() == null ? "" : r.path());
    unsavedAlerts.add(new Alerts.Occurrence("category", r.ts(), r.client(), r.mac(), r.group(),
        "blocked from " + site + " (" + org.schoolgate.proxy.Categories.plain(r.category()) + ")", r.ref()));
  }

  /** As above; {@code durable} hears when the event's transaction is committed (group commit). */
  @Override
  public void circumvention(CircumventionRecord r, org.schoolgate.log.Durable durable) {
    durable.hold();
    try {
      thread.execute(() -> record(r, durable));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      durable.written(false); // shutting down: the event cannot be stored
    }
  }

  /** The stored row of an events.jsonl line. */
  private Rows.Event row(CircumventionRecord r) {
    return new Rows.Event(0, service.format(r.ts()), r.client(), r.group(), r.kind(), r.host(), r.detail(), r.mac());
  }

  private void record(CircumventionRecord r, org.schoolgate.log.Durable durable) {
    // Events queued behind this one are saved with it in one transaction (one fsync per burst).
    if (unsaved.isEmpty() && dirtyDevices.isEmpty() && unsavedAlerts.isEmpty()) {
      thread.execute(this::saveEvents);
    }
    unsaved.add(row(r));
    if (durable != null) {
      unacknowledged.add(durable);
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
      dirtyDevices.add(r.client()); // saved with the event batch: no transaction of its own
      return;
    }
    if (times.size() >= rules.superviseAfter()) {
      Set<String> kinds = new LinkedHashSet<>();
      kinds.add(r.kind());
      Rows.Device device = new Rows.Device(r.client(), service.format(now), times.size(), List.copyOf(kinds),
          rules.supervision().name().toLowerCase(java.util.Locale.ROOT), r.mac());
      supervised.put(r.client(), device);
      times.clear();
      CircumventionRecord event = new CircumventionRecord(now, r.zone(), r.client(), r.group(), "supervised", r.host(),
          device.attempts() + " attempts within " + org.schoolgate.config.Durations.format(rules.superviseWithin())
              + "; mode " + device.mode(), r.mac(), r.name());
      saveEvents();
      Alerts.Occurrence alert = new Alerts.Occurrence("supervised", now, r.client(), r.mac(), r.group(),
          "put under supervision (" + device.mode() + ") after " + device.attempts() + " attempts to get round the filter within "
              + org.schoolgate.config.Durations.format(rules.superviseWithin()) + "; the last: " + r.kind()
              + (r.host() == null || r.host().isEmpty() ? "" : " to " + r.host()), null);
      store.transaction(ops -> {
        ops.recordEvents(List.of(row(event)));
        ops.putDevice(device);
        alerts.raise(ops, alert); // in the transaction that supervises the device (an outbox)
        return null;
      }).join();
      alerts.wake();
      eventLog.accept(event);
      if (rules.supervision() == Config.SupervisionMode.LOCKDOWN) {
        changes.setLockdown(lockdownSet()).join();
      }
    }
  }

  private void saveEvents() {
    if (unsaved.isEmpty() && dirtyDevices.isEmpty() && unsavedAlerts.isEmpty()) {
      return;
    }
    List<Alerts.Occurrence> raised = List.copyOf(unsavedAlerts);
    unsavedAlerts.clear();
    List<Rows.Event> batch = List.copyOf(unsaved);
    List<Rows.Device> devices = dirtyDevices.stream().map(supervised::get).filter(java.util.Objects::nonNull).toList();
    List<org.schoolgate.log.Durable> acks = List.copyOf(unacknowledged);
    unsaved.clear();
    dirtyDevices.clear();
    unacknowledged.clear();
    store.transaction(ops -> {
      ops.recordEvents(batch);
      devices.forEach(ops::putDevice);
      raised.forEach(o -> alerts.raise(ops, o));
      return null;
    }).whenComplete((done, failure) -> {
      for (org.schoolgate.log.Durable d : acks) {
        d.written(failure == null);
      }
      if (!raised.isEmpty()) {
        alerts.wake();
      }
    });
  }

  private Set<InetAddress> lockdownSet() {
    Set<InetAddress> out = new HashSet<>();
    for (Rows.Device d : supervised.values()) {
      if (d.mode().equals("lockdown")) {
        out.add(AdminService.address(d.address()));
      }
    }
    return out;
  }

  /** Lifts supervision (staff action); false if the device was not supervised. */
  public CompletableFuture<Boolean> release(String user, InetAddress device) {
    String address = device.getHostAddress();
    return CompletableFuture.supplyAsync(() -> {
      Rows.Device d = supervised.remove(address);
      if (d == null) {
        return false;
      }
      recent.remove(address);
      Instant now = clock.instant();
      String group = service.engine().policy().groupOf(device);
      CircumventionRecord event = new CircumventionRecord(now, service.engine().policy().config().timezone(), address,
          group, "released", "", "supervision lifted by " + user, d.mac(), service.names().nameOf(address, d.mac()));
      changes.change(ops -> {
        ops.removeDevice(address);
        ops.recordEvents(List.of(row(event)));
        return new AdminChanges.Outcome<>(true, changes.audit(user, "release-supervision", address, "supervision lifted"), null);
      }).join();
      eventLog.accept(event);
      changes.setLockdown(lockdownSet()).join();
      return true;
    }, thread);
  }

  public CompletableFuture<List<Rows.Device>> devices() {
    return store.devices();
  }

  public CompletableFuture<List<Rows.Event>> events(String kind, String client, String since, int limit) {
    // Save what this thread holds first, so a query sees every attempt handed over before it.
    return CompletableFuture.supplyAsync(() -> {
      saveEvents();
      return null;
    }, thread)
        .thenCompose(x -> store.events(new Store.EventQuery(kind, client, since, limit)));
  }

  /** Events of these kinds per day for {@code days} days from {@code first}, every attempt handed over before included. */
  public CompletableFuture<List<Rows.DayCount>> eventsPerDay(List<String> kinds, java.time.LocalDate first, int days) {
    return CompletableFuture.supplyAsync(() -> {
      saveEvents();
      return null;
    }, thread).thenCompose(x -> store.eventsPerDay(kinds, first, days));
  }

  /** Deletes stored events older than the retention period. */
  public CompletableFuture<Integer> expire(Duration retention) {
    String cutoff = service.format(clock.instant().minus(retention));
    return store.deleteEventsBefore(cutoff);
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
