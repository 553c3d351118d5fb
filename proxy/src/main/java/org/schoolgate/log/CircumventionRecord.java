package org.schoolgate.log;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import net.logstash.logback.argument.StructuredArgument;

/**
 * One line of {@code events.jsonl}: a circumvention attempt ({@code kind} as in SPEC 4.5), or a
 * device put under or taken out of supervision ({@code supervised}, {@code released}).
 */
public record CircumventionRecord(Instant ts, ZoneId zone, String client, String group, String kind, String host,
                                  String detail, String mac) implements StructuredArgument {
  @java.lang.Override
  public void writeTo(JsonGenerator g) throws IOException {
    g.writeStringField("ts", Timestamps.format(ts, zone));
    g.writeStringField("client", client);
    g.writeStringField("group", group);
    g.writeStringField("kind", kind);
    g.writeStringField("host", host);
    g.writeStringField("detail", detail);
    if (mac != null) {
      g.writeStringField("mac", mac);
    }
  }

  @java.lang.Override
  public String toString() {
    return "event " + kind + " " + client + " " + host;
  }
}
