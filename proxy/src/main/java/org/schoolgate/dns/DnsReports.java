package org.schoolgate.dns;

import java.net.InetAddress;
import java.time.Clock;
import java.time.ZoneId;
import org.schoolgate.log.DnsQueryRecord;
import org.schoolgate.log.JsonLogs;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.proxy.ProxyContext;

/**
 * Where the guard's reports go: {@code dns} attempts to the same events log, metrics and store as
 * the proxy's attempts (with the device's MAC and name), query lines to {@code dns.jsonl}.
 */
public final class DnsReports implements DnsSink {
  private final ProxyContext proxy;
  private final JsonLogs logs;
  private final Clock clock;
  private final ZoneId zone;

  public DnsReports(ProxyContext proxy, JsonLogs logs, Clock clock, ZoneId zone) {
    this.proxy = proxy;
    this.logs = logs;
    this.clock = clock;
    this.zone = zone;
  }

  @Override
  public void attempt(InetAddress client, String group, String host, String detail) {
    proxy.attempt(client, group, CircumventionKind.DNS.wire(), host, detail);
  }

  @Override
  public void query(InetAddress client, String name, String type, String outcome, String answer) {
    String[] device = proxy.device(client);
    logs.dns(new DnsQueryRecord(clock.instant(), zone, client.getHostAddress(), device[0], device[1], name, type, outcome,
        answer));
  }
}
