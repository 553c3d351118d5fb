package org.schoolgate.supervision;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.schoolgate.alert.Alerts;
import org.schoolgate.log.Durable;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Circumvention events on their way to the store, with the supervised devices they changed:
 * saved in bursts, one transaction per burst, and each refusal sent once its burst is durable.
 * While a shared database is away a burst goes to the {@link EventQueue} on disk instead
 * (durable there), and what waits in the queue is sent first, oldest first, with the next burst
 * that gets through. Used only on {@link Supervision}'s thread.
 */
final class EventBursts {
  private static final Logger log = LoggerFactory.getLogger(EventBursts.class);

  private final Store store;
  private final EventQueue queue;
  private final List<Rows.Event> events = new ArrayList<>();
  /** The refusals waiting for {@code events} to be durable. */
  private final List<Durable> unacknowledged = new ArrayList<>();
  /** Devices whose row changed, by address (the latest row). */
  private final Map<String, Rows.Device> devices = new LinkedHashMap<>();
  /** A device was supervised here and the other gateways have not been told yet. */
  private boolean announce;
  /** The last save found the database away: bursts go to the queue until a retry gets through. */
  private boolean away;
  /** Safeguarding alerts raised by this burst, written to the outbox in its transaction. */
  private final Alerts outbox;
  private final List<Alerts.Occurrence> alerts = new ArrayList<>();

  EventBursts(Store store, EventQueue queue, Alerts outbox) {
    this.store = store;
    this.queue = queue;
    this.outbox = outbox;
    this.announce = !queue.isEmpty();
  }

  boolean isEmpty() {
    return events.isEmpty() && devices.isEmpty() && alerts.isEmpty();
  }

  void add(Rows.Event event, Durable durable) {
    events.add(event);
    if (durable != null) {
      unacknowledged.add(durable);
    }
  }

  /**
   * An alert to raise with this burst. While the database is away it waits in the queue on disk
   * with the events (fsynced), and is raised with the first burst that gets through.
   */
  void alert(Alerts.Occurrence occurrence) {
    alerts.add(occurrence);
  }

  /** A device's row changed (saved with the burst, no transaction of its own). */
  void device(Rows.Device row) {
    devices.put(row.address(), row);
  }

  /** A newly supervised device: the other gateways of a trust are told once it is saved. */
  void supervised(Rows.Device row) {
    device(row);
    announce = true;
  }

  /** A released device's row is not to be written again. */
  void forget(String address) {
    devices.remove(address);
  }

  /** Takes the database to be away (it was at start): bursts go to the queue until {@link #retry}. */
  void away() {
    away = true;
  }

  /** Saves the burst, in the database or (while it is away) in the queue, then acknowledges it. */
  void save() {
    if (isEmpty()) {
      return;
    }
    List<Rows.Event> batch = List.copyOf(events);
    List<Rows.Device> rows = List.copyOf(devices.values());
    List<Durable> acks = List.copyOf(unacknowledged);
    events.clear();
    devices.clear();
    unacknowledged.clear();
    boolean ok = away ? enqueue(batch, rows) : commit(batch, rows) || enqueue(batch, rows);
    for (Durable d : acks) {
      d.written(ok);
    }
  }

  /** Tries the database again when bursts wait in the queue (or the last save found it away). */
  void retry() {
    if (!away && queue.isEmpty()) {
      return;
    }
    away = false;
    if (isEmpty()) {
      commit(List.of(), List.of());
    } else {
      save();
    }
  }

  /** One transaction: the queue's rows, then these; true when committed (and the queue emptied). */
  private boolean commit(List<Rows.Event> batch, List<Rows.Device> rows) {
    try {
      EventQueue.Contents queued = queue.read();
      boolean tell = announce || !queued.devices().isEmpty();
      List<Alerts.Occurrence> raised = new ArrayList<>(queued.alerts());
      raised.addAll(alerts);
      store.transaction(ops -> {
        ops.events().record(queued.events());
        queued.devices().forEach(ops.supervision()::putDevice);
        ops.events().record(batch);
        rows.forEach(ops.supervision()::putDevice);
        if (tell) {
          ops.changed(Store.Changed.DEVICES);
        }
        raised.forEach(o -> outbox.raise(ops, o));
        return null;
      }).join();
      alerts.clear();
      if (!raised.isEmpty()) {
        outbox.wake();
      }
      if (!queue.isEmpty()) {
        queue.clear(); // a crash before this line sends them again: twice, never lost
        log.info("the database is back: sent the {} event(s) and device(s) that waited for it",
            queued.events().size() + queued.devices().size());
      }
      announce = false;
      away = false;
      return true;
    } catch (CompletionException e) {
      if (e.getCause() instanceof StoreUnavailableException) {
        if (!away) {
          log.warn("the database is away: circumvention events wait on disk until it is back ({})",
              e.getCause().getMessage());
        }
        away = true;
      } else {
        log.error("could not save circumvention events", e.getCause());
      }
      return false;
    } catch (IOException e) {
      log.error("could not read the event queue", e);
      return false;
    }
  }

  /** Queues the burst and the alerts it raised; false when the disk refused them (the alerts then stay in memory). */
  private boolean enqueue(List<Rows.Event> batch, List<Rows.Device> rows) {
    List<Alerts.Occurrence> raised = List.copyOf(alerts);
    try {
      queue.append(batch, rows, raised);
      alerts.clear(); // durable in the queue now
      return true;
    } catch (IOException e) {
      log.error("circumvention events not kept for the database (they are in events.jsonl): {}", e.getMessage());
      return false; // the alerts stay here and go with the next burst that is saved
    }
  }
}
