package org.schoolgate.alert;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.schoolgate.config.Config;
import org.schoolgate.log.Timestamps;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.values.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties the alerts outbox on a thread of its own (never an event loop): each pending alert goes
 * to every configured channel that has not had it yet; one that fails is tried again after
 * {@code firstRetry}, doubling up to {@code maxRetry}. Delivery is at least once: an alert is
 * marked delivered only after the channel took it, so a crash in between sends it again after the
 * restart, which tries every pending alert at once.
 *
 * <p>It does not poll: it is woken when an alert is raised here ({@link Alerts#wake}), and by a
 * timer set for the earliest next try of a pending alert (a retry, a flood's summary); a slow
 * safety re-check every {@code poll} picks up anything else (an alert another gateway of the
 * trust raised and could not send). An idle gateway puts no load on the trust's database.
 */
public final class AlertSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertSender.class);
  private static final int BATCH = 50;

  /** The safety re-check of the outbox, and the back-off between tries of one alert. */
  public record Timing(Duration poll, Duration firstRetry, Duration maxRetry) {
    public static final Timing DEFAULTS = new Timing(Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofMinutes(10));
  }

  private final Store store;
  private final ZoneId zone;
  private final Clock clock;
  private final Timing timing;
  private final Channel mail;
  private final Channel webhook;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("schoolgate-alerts"));
  /** Set until the first pass after a start, which tries every pending alert whatever its back-off. */
  private boolean starting = true;
  /** The wake-up for the earliest next try (on the sender's thread only). */
  private java.util.concurrent.ScheduledFuture<?> timer;
  private long timerAt = Long.MAX_VALUE;

  public AlertSender(Store store, Alerts alerts, Config.Alerts config, ZoneId zone, Clock clock, Timing timing,
                     SSLSocketFactory tls) throws IOException {
    this(store, zone, clock, timing, config.smtp() == null ? null : new MailChannel(config, tls),
        config.webhook() == null ? null : new WebhookChannel(config.webhook()));
    alerts.onWake(() -> thread.execute(this::deliverQuietly));
  }

  AlertSender(Store store, ZoneId zone, Clock clock, Timing timing, Channel mail, Channel webhook) {
    this.store = store;
    this.zone = zone;
    this.clock = clock;
    this.timing = timing;
    this.mail = mail;
    this.webhook = webhook;
  }

  /** Looks at the outbox now, then when woken, at each next try, and every {@code poll} for safety. */
  public AlertSender start() {
    thread.scheduleWithFixedDelay(this::deliverQuietly, 0, timing.poll().toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void deliverQuietly() {
    try {
      deliverDue();
      Instant next = store.transaction(ops -> ops.alerts().nextDue()).join();
      if (next != null) {
        wakeAt(next.toEpochMilli());
      }
    } catch (RuntimeException e) {
      // the database away: raising an alert wakes the sender again, and so does the safety re-check
      log.warn("alerts: cannot read the outbox: {}", e.toString());
      wakeAt(clock.millis() + timing.firstRetry().toMillis());
    }
  }

  /** Sets the timer for {@code atMillis} (the test's clock), unless one is set for earlier. */
  private void wakeAt(long atMillis) {
    long now = clock.millis();
    if (timer != null && !timer.isDone() && timerAt <= atMillis && timerAt > now) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    long delay = Math.max(0, Math.min(atMillis - now, timing.poll().toMillis()));
    timerAt = atMillis;
    timer = thread.schedule(this::deliverQuietly, Math.max(delay, 50), TimeUnit.MILLISECONDS);
  }

  /**
   * Tries every alert that is due; returns how many were delivered. Runs on the sender's thread
   * (tests that call it directly use a sender they never started).
   */
  public synchronized int deliverDue() {
    long now = starting ? Long.MAX_VALUE : clock.millis();
    Instant dueBy = Instant.ofEpochMilli(now);
    starting = false;
    int delivered = 0;
    List<Rows.Alert> due;
    do {
      due = store.transaction(ops -> ops.alerts().due(dueBy, BATCH)).join();
      for (Rows.Alert a : due) {
        Rows.Alert after = attempt(a);
        store.transaction(ops -> {
          ops.alerts().updateDelivery(after);
          return null;
        }).join();
        if (after.state().equals("delivered")) {
          delivered++;
        }
      }
    } while (due.size() == BATCH && now != Long.MAX_VALUE);
    return delivered;
  }

  /** One try of every channel that has not had {@code a} yet; the row as it is after the try. */
  Rows.Alert attempt(Rows.Alert a) {
    String mailedAt = a.mailedAt();
    String postedAt = a.postedAt();
    String error = null;
    if (mail != null && mailedAt == null) {
      try {
        mail.send(a, zone);
        mailedAt = Timestamps.format(clock.instant(), zone);
      } catch (Exception e) {
        error = "email: " + message(e);
      }
    }
    if (webhook != null && postedAt == null) {
      try {
        webhook.send(a, zone);
        postedAt = Timestamps.format(clock.instant(), zone);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = (error == null ? "" : error + "; ") + "webhook: interrupted";
      } catch (Exception e) {
        error = (error == null ? "" : error + "; ") + "webhook: " + message(e);
      }
    }
    boolean done = (mail == null || mailedAt != null) && (webhook == null || postedAt != null);
    int attempts = a.attempts() + 1;
    if (!done) {
      log.warn("alert {} not delivered (try {}): {}", a.uid(), attempts, error);
    }
    long next = done ? a.nextTry() : clock.millis() + backoff(attempts).toMillis();
    return new Rows.Alert(a.id(), a.uid(), a.kind(), a.device(), a.mac(), a.name(), a.group(), a.ts(), a.lastTs(), a.count(),
        a.what(), a.ref(), a.link(), done ? "delivered" : "pending", attempts, next, mailedAt, postedAt,
        done ? Timestamps.format(clock.instant(), zone) : null, error);
  }

  /** The wait after the {@code attempts}-th failed try: {@code firstRetry}, doubling, at most {@code maxRetry}. */
  Duration backoff(int attempts) {
    Duration d = timing.firstRetry();
    for (int i = 1; i < attempts && d.compareTo(timing.maxRetry()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(timing.maxRetry()) > 0 ? timing.maxRetry() : d;
  }

  private static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  @Override
  public void close() {
    Threads.stop(thread, true);
  }
}
