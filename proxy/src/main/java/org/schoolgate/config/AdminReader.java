package org.schoolgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.schoolgate.values.Cidr;

/** The {@code admin} section: who may reach the admin endpoint, never the default group's networks. */
final class AdminReader {
  private AdminReader() {}

  /**
   * allow_from must never include the default (fail-closed, pupils') group's networks.
   * console_url (how block pages and alerts link to the console) is optional: without it, links use
   * the admin listener's bound address.
   */
  static Config.Admin read(Node n, List<Cidr> pupilNetworks, String pupilGroup, java.nio.file.Path dir) {
    if (!n.isNull()) {
      n.checkKeys(Set.of("allow_from", "console_url", "hostnames", "tls"));
    }
    List<Cidr> allow = new ArrayList<>();
    Node from = n.get("allow_from");
    if (from.isNull()) {
      allow.add(Cidr.parse("127.0.0.0/8"));
      allow.add(Cidr.parse("::1/128"));
    }
    for (Node item : from.items()) {
      Cidr c = item.as(Cidr::parse, true);
      if (c != null) {
        allow.add(c);
        for (Cidr pupils : pupilNetworks == null ? List.<Cidr>of() : pupilNetworks) {
          if (c.overlaps(pupils)) {
            item.problem(c + " overlaps " + pupils + ", a network of the default group " + pupilGroup
                + "; the admin endpoint must never be reachable from pupils' networks");
          }
        }
      }
    }
    return new Config.Admin(List.copyOf(allow), consoleUrl(n.get("console_url")),
        List.copyOf(Fields.hostList(n.get("hostnames"))), tls(n.get("tls"), dir));
  }

  /** {@code tls}: {@code cert} and {@code key} (PEM files), or {@code from_ca: true}; absent for plain HTTP. */
  private static Config.AdminTls tls(Node n, java.nio.file.Path dir) {
    if (n.isNull()) {
      return null;
    }
    n.checkKeys(Set.of("cert", "key", "from_ca"));
    boolean fromCa = Boolean.TRUE.equals(n.get("from_ca").as(ConfigValues::bool, false));
    if (fromCa) {
      if (!n.get("cert").isNull() || !n.get("key").isNull()) {
        n.problem("takes either cert and key, or from_ca: true, not both");
      }
      return new Config.AdminTls(null, null, true);
    }
    java.nio.file.Path cert = Fields.path(dir, n.get("cert"), true);
    java.nio.file.Path key = Fields.path(dir, n.get("key"), true);
    if (cert != null && cert.equals(key)) {
      n.get("key").problem("is the same file as cert: the key and the certificate are two files");
    }
    return new Config.AdminTls(cert, key, false);
  }

  private static String consoleUrl(Node n) {
    if (n.isNull()) {
      return null; // the default, from the admin listener's bound address, is Schoolgate's to work out
    }
    String text = n.text(true);
    if (text == null) {
      return null;
    }
    try {
      URI u = new URI(text);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
          || u.getQuery() != null || u.getFragment() != null) {
        n.problem('"' + text + "\" is not a web address like http://filter.school.internal:8088/");
        return null;
      }
      return text.endsWith("/") ? text : text + "/";
    } catch (URISyntaxException e) {
      n.problem('"' + text + "\" is not a web address like http://filter.school.internal:8088/");
      return null;
    }
  }
}
