package org.schoolgate.log;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.argument.StructuredArgument;

/** One line of {@code audit.jsonl}: who changed what, when, why. */
public record AuditRecord(String ts, String user, String action, String target, String reason) implements StructuredArgument {
  @java.lang.Override
  public void writeTo(JsonGenerator g) throws IOException {
    g.writeStringField("ts", ts);
    g.writeStringField("user", user);
    g.writeStringField("action", action);
    g.writeStringField("target", target);
    g.writeStringField("reason", reason);
  }

  @java.lang.Override
  public String toString() {
    return "audit " + user + " " + action + " " + target;
  }
}
