package org.schoolgate.log;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import net.logstash.logback.argument.StructuredArgument;

/**
 * One line of {@code access.jsonl}: an HTTP request or a tunnel, written when it ends. Built on
 * the event loop (a handful of field copies), serialised on the logging thread.
 */
public record AccessRecord(
    Instant ts, ZoneId zone, String client, String group, String listener, String method, String host, int port,
    String path, String decision, String category, String rule, int status, long bytesUp, long bytesDown, long ms,
    String ref, String dst, String mac) implements StructuredArgument {

  @java.lang.Override
  public void writeTo(JsonGenerator g) throws IOException {
    g.writeStringField("ts", Timestamps.format(ts, zone));
    g.writeStringField("client", client);
    g.writeStringField("group", group);
    g.writeStringField("listener", listener);
    g.writeStringField("method", method);
    g.writeStringField("host", host);
    g.writeNumberField("port", port);
    if (path != null) {
      g.writeStringField("path", path);
    }
    g.writeStringField("decision", decision);
    g.writeStringField("category", category);
    g.writeStringField("rule", rule);
    g.writeNumberField("status", status);
    g.writeNumberField("bytes_up", bytesUp);
    g.writeNumberField("bytes_down", bytesDown);
    g.writeNumberField("ms", ms);
    if (ref != null) {
      g.writeStringField("ref", ref);
    }
    if (dst != null) {
      g.writeStringField("dst", dst);
    }
    if (mac != null) {
      g.writeStringField("mac", mac);
    }
  }

  @java.lang.Override
  public String toString() {
    return "access " + method + " " + host + ":" + port + " " + decision;
  }
}
