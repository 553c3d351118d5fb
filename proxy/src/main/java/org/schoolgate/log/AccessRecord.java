package org.schoolgate.log;

import java.time.Instant;
import java.time.ZoneId;

/**
 * One line of {@code access.jsonl}: an HTTP request or a tunnel, written when it ends. Built on
 * the event loop (a handful of field copies), serialised on the logging thread. {@code aborted}
 * says why an exchange ended before its response was complete (null when it was complete), so a
 * truncated response is never logged as a whole one. {@code via} names the enforced front end
 * (SPEC section 10) the connection went to instead of the host's own address, or is null.
 * {@code name} is the device's name (SPEC 11), or null; {@code user} who is on the client's address
 * by RADIUS accounting (SPEC 15), or null.
 */
public record AccessRecord(
    Instant ts, ZoneId zone, String client, String group, String listener, String method, String host, int port,
    String path, String decision, String category, String rule, int status, long bytesUp, long bytesDown, long ms,
    String ref, String dst, String mac, String aborted, String via, String name, String user) implements JsonRecord {

  /** A line without a user (no identity for the client's address). */
  public AccessRecord(Instant ts, ZoneId zone, String client, String group, String listener, String method, String host,
                      int port, String path, String decision, String category, String rule, int status, long bytesUp,
                      long bytesDown, long ms, String ref, String dst, String mac, String aborted, String via, String name) {
    this(ts, zone, client, group, listener, method, host, port, path, decision, category, rule, status, bytesUp, bytesDown,
        ms, ref, dst, mac, aborted, via, name, null);
  }

  @Override
  public void fields(Fields out) {
    out.string("ts", Timestamps.format(ts, zone));
    out.string("client", client);
    out.string("group", group);
    out.string("listener", listener);
    out.string("method", method);
    out.string("host", host);
    out.number("port", port);
    if (path != null) {
      out.string("path", path);
    }
    out.string("decision", decision);
    out.string("category", category);
    out.string("rule", rule);
    out.number("status", status);
    out.number("bytes_up", bytesUp);
    out.number("bytes_down", bytesDown);
    out.number("ms", ms);
    if (ref != null) {
      out.string("ref", ref);
    }
    if (dst != null) {
      out.string("dst", dst);
    }
    if (via != null) {
      out.string("via", via);
    }
    if (mac != null) {
      out.string("mac", mac);
    }
    if (name != null) {
      out.string("name", name);
    }
    if (user != null) {
      out.string("user", user);
    }
    if (aborted != null) {
      out.string("aborted", aborted);
    }
  }

  @Override
  public String toString() {
    return "access " + method + " " + host + ":" + port + " " + decision;
  }
}
