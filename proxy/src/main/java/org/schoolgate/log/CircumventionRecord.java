package org.schoolgate.log;

import java.time.Instant;
import java.time.ZoneId;

/**
 * One line of {@code events.jsonl}: a circumvention attempt ({@code kind} as in SPEC 4.5), or a
 * device put under or taken out of supervision ({@code supervised}, {@code released}). {@code name}
 * is the device's name (SPEC 11), or null; {@code user} who is on the address by RADIUS accounting
 * (SPEC 15), or null.
 */
public record CircumventionRecord(Instant ts, ZoneId zone, String client, String group, String kind, String host,
                                  String detail, String mac, String name, String user) implements JsonRecord {
  /** An event without a user (no identity for the client's address). */
  public CircumventionRecord(Instant ts, ZoneId zone, String client, String group, String kind, String host,
                             String detail, String mac, String name) {
    this(ts, zone, client, group, kind, host, detail, mac, name, null);
  }

  @Override
  public void fields(Fields out) {
    out.string("ts", Timestamps.format(ts, zone));
    out.string("client", client);
    out.string("group", group);
    out.string("kind", kind);
    out.string("host", host);
    out.string("detail", detail);
    if (mac != null) {
      out.string("mac", mac);
    }
    if (name != null) {
      out.string("name", name);
    }
    if (user != null) {
      out.string("user", user);
    }
  }

  @Override
  public String toString() {
    return "event " + kind + " " + client + " " + host;
  }
}
