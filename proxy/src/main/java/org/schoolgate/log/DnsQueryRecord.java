package org.schoolgate.log;

import java.time.Instant;
import java.time.ZoneId;

/**
 * One line of {@code dns.jsonl} (SPEC 14, only with {@code dns.log_queries: true}): who asked
 * for which name and type, and what the DNS guard answered. It is personal data: off by
 * default, kept as long as the other logs.
 *
 * @param outcome what the guard did ({@code forwarded}, {@code cached}, {@code canary}, ...)
 * @param answer  the response code and the answer's addresses and aliases, e.g. {@code NOERROR 192.0.2.1}
 */
public record DnsQueryRecord(Instant ts, ZoneId zone, String client, String mac, String name, String query,
                             String type, String outcome, String answer) implements JsonRecord {
  @Override
  public void fields(Fields out) {
    out.string("ts", Timestamps.format(ts, zone));
    out.string("client", client);
    if (mac != null) {
      out.string("mac", mac);
    }
    if (name != null) {
      out.string("name", name);
    }
    out.string("query", query);
    out.string("type", type);
    out.string("outcome", outcome);
    out.string("answer", answer);
  }
}
