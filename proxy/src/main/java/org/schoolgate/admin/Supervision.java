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
import org.schoolgate.config.Config;
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
 */
public final class Supervision implements ProxyEvents, AutoCloseable {
  private final AdminService service;
  private final AdminChanges changes;
  private final Store store;
  private final Config.Circumvention rules;
  private final Clock clock;
  private final Consumer<CircumventionRecord> eventLog;
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

  public Supervision(AdminService service, Config.Circumvention rules, Clock clock, Consumer<CircumventionRecord> eventLog) {
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
    if (unsaved.isEmpty() && dirtyDevices.isEmpty()) {
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
              + "; mode " + device.mode(), r.mac());
      saveEvents();
      store.transaction(ops -> {
        ops.recordEvents(List.of(row(event)));
        ops.putDevice(device);
        ops.changed(Store.Changed.DEVICES); // in force on every gateway of the trust
        return null;
      }).join();
      eventLog.accept(event);
      if (rules.supervision() == Config.SupervisionMode.LOCKDOWN) {
        changes.setLockdown(lockdownSet()).join();
      }
    }
  }

  private void saveEvents() {
    if (unsaved.isEmpty() && dirtyDevices.isEmpty()) {
      return;
    }
    List<Rows.Event> batch = List.copyOf(unsaved);
    List<Rows.Device> devices = dirtyDevices.stream().map(supervised::get).filter(java.util.Objects::nonNull).toList();
    List<org.schoolgate.log.Durable> acks = List.copyOf(unacknowledged);
    unsaved.clear();
    dirtyDevices.clear();
    unacknowledged.clear();
    store.recordEvents(batch, devices).whenComplete((done, failure) -> {
      for (org.schoolgate.log.Durable d : acks) {
        d.written(failure == null);
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
          group, "released", "", "supervision lifted by " + user, d.mac());
      changes.change(ops -> {
        ops.removeDevice(address);
        ops.recordEvents(List.of(row(event)));
        ops.changed(Store.Changed.DEVICES);
        return new AdminChanges.Outcome<>(true, changes.audit(user, "release-supervision", address, "supervision lifted"), null);
      }).join();
      eventLog.accept(event);
      changes.setLockdown(lockdownSet()).join();
      return true;
    }, thread);
  }

  /**
   * Rereads the supervised devices after another gateway supervised or released one, and puts
   * lockdown in force to match. What this thread holds unsaved is saved first, so the stored
   * rows are the whole story.
   */
  public CompletableFuture<Void> refresh() {
    return CompletableFuture.runAsync(() -> {
      saveEvents();
      List<Rows.Device> stored = store.devices().join();
      supervised.clear();
      for (Rows.Device d : stored) {
        supervised.put(d.address(), d);
      }
      changes.setLockdown(lockdownSet()).join();
    }, thread);
  }

  public CompletableFuture<List<Rows.Device>> devices() {
    return store.devices();
  }

  public CompletableFuture<List<Rows.Event>> events(Store.EventQuery query) {
    // Save what this thread holds first, so a query sees every attempt handed over before it.
    return CompletableFuture.supplyAsync(() -> {
      saveEvents();
      return null;
    }, thread)
        .thenCompose(x -> store.events(query));
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
