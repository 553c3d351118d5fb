package org.schoolgate.config;

import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code listen} section: the listener addresses, at least one proxy listener, no address twice. */
final class ListenReader {
  private ListenReader() {}

  static Config.Listen read(Node n, List<String> problems) {
    if (!n.checkKeys(Set.of("proxy", "intercept_http", "intercept_tls", "admin", "dns"))) {
      n.problem("is required (listener addresses)");
      return null;
    }
    Config.Listen l = new Config.Listen(
        n.get("proxy").as(ConfigValues::socketAddress, false),
        n.get("intercept_http").as(ConfigValues::socketAddress, false),
        n.get("intercept_tls").as(ConfigValues::socketAddress, false),
        n.get("admin").as(ConfigValues::socketAddress, false),
        n.get("dns").as(ConfigValues::socketAddress, false));
    if (l.proxy() == null && l.interceptHttp() == null && l.interceptTls() == null && problems.isEmpty()) {
      n.problem("no proxy listener is configured (set proxy, intercept_http or intercept_tls)");
    }
    Set<InetSocketAddress> seen = new LinkedHashSet<>();
    for (InetSocketAddress a : new InetSocketAddress[] {l.proxy(), l.interceptHttp(), l.interceptTls(), l.admin(), l.dns()}) {
      if (a != null && a.getPort() != 0 && !seen.add(a)) {
        n.problem("two listeners share the address " + a.getHostString() + ":" + a.getPort());
      }
    }
    return l;
  }
}
