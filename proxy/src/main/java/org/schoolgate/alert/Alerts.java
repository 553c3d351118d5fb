package org.schoolgate.alert;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Set;
import java.util.UUID;
import org.schoolgate.config.Config;
import org.schoolgate.log.Timestamps;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;

/**
 * Raises safeguarding alerts (SPEC 11). {@link #raise} runs inside the transaction of what caused
 * the alert (a supervision, a report, a batch of blocks), so the alert is on disk exactly when its
 * cause is: the alerts table is an outbox that {@link AlertSender} empties. A repeat — the same
 * device, kind and site (for a report, the same reported host and reporter) within {@code digest}
 * of the first — is folded into that alert (its count and last time go up) rather than sent
 * again; anything else is a new alert. Past {@link Flood#LIMIT} new alerts of one kind in
 * {@link Flood#WINDOW}, further ones are folded into one summary alert that names them ({@link Flood}).
 */
public final class Alerts {
  /** No alerts section: nothing is raised. */
  public static final Alerts OFF = new Alerts(null, Clock.systemUTC(), ZoneId.of("UTC"));

  private final Config.Alerts config;
  private final Clock clock;
  private final ZoneId zone;
  private volatile String consoleUrl;
  private volatile Runnable wake = () -> {};

  public Alerts(Config.Alerts config, Clock clock, ZoneId zone) {
    this.config = config;
    this.clock = clock;
    this.zone = zone;
  }

  /** Whether alerts of {@code kind} ({@code supervised}, {@code report}, {@code category}) are sent. */
  public boolean sends(String kind) {
    return config != null && config.sends(kind);
  }

  /** The categories in which a blocked pupil raises an alert (empty when category alerts are off). */
  public Set<String> categories() {
    return sends("category") ? config.categories() : Set.of();
  }

  /** Where alerts link to: the console's address, or null for no link. */
  public void consoleUrl(String url) {
    this.consoleUrl = url;
  }

  /** Tells the sender there may be something new; called after the raising transaction committed. */
  public void wake() {
    wake.run();
  }

  void onWake(Runnable r) {
    this.wake = r;
  }

  /**
   * What happened, before it is an alert. {@code device} is an address (or empty when no device is
   * concerned); {@code site} is what else makes a later occurrence a repeat of this one: the host
   * a pupil was blocked from, the reported host and who reported it ({@code ""} for none).
   */
  public record Occurrence(String kind, Instant at, String device, String mac, String group, String what, String ref,
                           String site) {
    public Occurrence {
      site = site == null ? "" : site;
    }

    /** An occurrence whose device and kind alone say what a repeat is (a supervision). */
    public Occurrence(String kind, Instant at, String device, String mac, String group, String what, String ref) {
      this(kind, at, device, mac, group, what, ref, "");
    }
  }

  /**
   * Writes the alert for {@code o} with {@code ops}, inside the caller's transaction: a new alert, or
   * one more repeat folded into the device's alert of this kind when that began less than
   * {@code digest} ago. Returns null when alerts of this kind are not sent.
   */
  public Rows.Alert raise(Store.Ops ops, Occurrence o) {
    if (!sends(o.kind())) {
      return null;
    }
    String ts = Timestamps.format(o.at(), zone);
    Rows.Alert last = ops.alerts().latest(o.device(), o.kind(), o.site());
    if (last != null && OffsetDateTime.parse(last.ts()).toInstant().plus(config.digest()).isAfter(o.at())) {
      ops.alerts().fold(last.id(), ts);
      return last;
    }
    String link = consoleUrl == null ? null : consoleUrl + "alerts";
    Rows.Alert summary = Flood.fold(ops, o, ts, zone, clock, link);
    if (summary != null) {
      return summary;
    }
    String name = nameOf(ops, o.device(), o.mac());
    return ops.alerts().add(new Rows.Alert(0, UUID.randomUUID().toString(), o.kind(), o.device(), o.mac(), name, o.group(), ts,
        ts, 1, o.what(), o.ref(), link, "pending", 0, clock.millis(), null, null, null, null), o.site());
  }

  /** A device's name: by its MAC first (it follows the device to a new address), else by its address. */
  static String nameOf(Store.Ops ops, String device, String mac) {
    Rows.DeviceName n = mac == null ? null : ops.supervision().deviceName(mac);
    if (n == null && device != null && !device.isEmpty()) {
      n = ops.supervision().deviceName(device);
    }
    return n == null ? null : n.name();
  }

  /** Who was signed in on the device (RADIUS accounting, SPEC 15), as the end of an alert's sentence; empty for nobody. */
  public static String signedIn(String user) {
    return user == null ? "" : "; signed in as " + user;
  }
}
