package org.schoolgate.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code dns} section (SPEC section 14): the upstream resolvers (default: the nameservers of
 * /etc/resolv.conf), the cache size, ECH stripping and the query log. Read whether or not
 * {@code listen.dns} is set; the upstreams must exist only when it is.
 */
final class DnsReader {
  static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
  static final int DEFAULT_CACHE = 10_000;
  /** SPEC 14: a client is held to 200 queries a second. */
  static final int DEFAULT_RATE = 200;

  private DnsReader() {}

  static Config.Dns read(Node n, InetSocketAddress listener, Path resolvConf) {
    if (!n.isNull()) {
      n.checkKeys(Set.of("upstream", "cache", "strip_ech", "log_queries", "queries_per_client"));
    }
    List<InetSocketAddress> upstream = new ArrayList<>();
    for (Node item : n.get("upstream").items()) {
      InetSocketAddress a = item.as(s -> ConfigValues.socketAddressDefaultPort(s, 53), true);
      if (a != null) {
        if (a.getAddress().isAnyLocalAddress() || a.getPort() == 0) {
          item.problem("\"" + item.text(true) + "\" is not a resolver's address");
        } else if (a.equals(listener)) {
          item.problem("is the DNS guard's own address (it would ask itself)");
        } else {
          upstream.add(a);
        }
      }
    }
    if (n.get("upstream").isNull() && listener != null) { // only the guard asks them: no read for check, user, lists
      upstream.addAll(resolvConf(resolvConf));
      if (upstream.isEmpty()) {
        n.get("upstream").problem("is not set and " + resolvConf + " names no nameserver: name the resolvers to ask");
      }
    }
    Node cacheNode = n.get("cache");
    Integer cache = cacheNode.isNull() ? Integer.valueOf(DEFAULT_CACHE) : cacheNode.integer(0, 10_000_000, true);
    Node strip = n.get("strip_ech");
    Boolean stripEch = strip.isNull() ? Boolean.TRUE : strip.as(ConfigValues::bool, true);
    Node logNode = n.get("log_queries");
    Boolean log = logNode.isNull() ? Boolean.FALSE : logNode.as(ConfigValues::bool, true);
    Node rateNode = n.get("queries_per_client");
    Integer rate = rateNode.isNull() ? Integer.valueOf(DEFAULT_RATE) : rateNode.integer(1, 10_000_000, true);
    return new Config.Dns(List.copyOf(upstream), cache == null ? DEFAULT_CACHE : cache,
        stripEch == null || stripEch, log != null && log, rate == null ? DEFAULT_RATE : rate);
  }

  /** The {@code nameserver} lines of a resolv.conf (port 53); none when it cannot be read. */
  static List<InetSocketAddress> resolvConf(Path file) {
    List<InetSocketAddress> out = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      return out;
    }
    for (String line : lines) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length >= 2 && parts[0].equals("nameserver")) {
        String host = parts[1];
        int zone = host.indexOf('%');
        if (zone >= 0) {
          host = host.substring(0, zone); // a link-local scope: not expressible here, skip the scope
        }
        try {
          out.add(ConfigValues.socketAddressDefaultPort(host.contains(":") ? "[" + host + "]" : host, 53));
        } catch (IllegalArgumentException e) {
          // not an address: resolv.conf allows nothing else, skip it
        }
      }
    }
    return out;
  }
}
