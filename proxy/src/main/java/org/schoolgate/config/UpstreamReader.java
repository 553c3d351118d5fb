package org.schoolgate.config;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code upstream} section: ports, timeouts, an optional hosts file and DNS servers. */
final class UpstreamReader {
  private UpstreamReader() {}

  static Config.Upstream read(Node n, Path dir) {
    n.checkKeys(Set.of("http_port", "tls_port", "hosts_file", "connect_timeout", "idle_timeout", "dns_servers",
        "refuse_local"));
    Integer http = n.get("http_port").isNull() ? Integer.valueOf(80) : n.get("http_port").integer(1, 65535, false);
    Integer tls = n.get("tls_port").isNull() ? Integer.valueOf(443) : n.get("tls_port").integer(1, 65535, false);
    Path hosts = Fields.path(dir, n.get("hosts_file"), false);
    if (hosts != null && !Files.isReadable(hosts)) {
      n.get("hosts_file").problem("cannot read " + hosts);
    }
    Duration connect = Fields.duration(n.get("connect_timeout"), Duration.ofSeconds(5));
    Duration idle = Fields.duration(n.get("idle_timeout"), Duration.ofMinutes(5));
    List<InetSocketAddress> dns = new ArrayList<>();
    for (Node item : n.get("dns_servers").items()) {
      InetSocketAddress a = item.as(s -> ConfigValues.socketAddressDefaultPort(s, 53), true);
      if (a != null) {
        dns.add(a);
      }
    }
    Node refuse = n.get("refuse_local");
    Boolean refuseLocal = refuse.isNull() ? Boolean.TRUE : refuse.as(ConfigValues::bool, true);
    return new Config.Upstream(http == null ? 80 : http, tls == null ? 443 : tls, hosts, connect, idle, List.copyOf(dns),
        refuseLocal == null || refuseLocal);
  }
}
