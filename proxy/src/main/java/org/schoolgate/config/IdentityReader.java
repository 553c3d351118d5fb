package org.schoolgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.schoolgate.values.Cidr;

/**
 * The optional {@code identity} section (SPEC 15): where RADIUS accounting arrives, who may send
 * it and with which secret, the user name rules and {@code session_max}. Absent: null (off).
 */
final class IdentityReader {
  /** RFC 2865 caps an attribute at 253 octets; a rule longer than a user name can be matches nothing. */
  private static final int MAX_MATCH = 253;

  private IdentityReader() {}

  static Config.Identity read(Node n, Path dir, Set<String> groups) {
    if (n.isNull() || !n.checkKeys(Set.of("radius_accounting", "users", "session_max"))) {
      return null;
    }
    Node radius = n.get("radius_accounting");
    if (radius.isNull()) {
      radius.problem("is required (listen, clients, secret_file): identity comes from RADIUS accounting");
    } else {
      radius.checkKeys(Set.of("listen", "clients", "secret_file"));
    }
    java.net.InetSocketAddress listen = radius.get("listen").as(s -> ConfigValues.socketAddressDefaultPort(s, 1813), true);
    Node clientsNode = radius.get("clients");
    List<Node> items = clientsNode.items();
    List<Cidr> clients = new ArrayList<>();
    for (Node item : items) {
      Cidr c = item.as(Cidr::parse, true);
      if (c != null) {
        clients.add(c);
      }
    }
    if (!radius.isNull() && items.isEmpty()) {
      clientsNode.problem((clientsNode.isNull() ? "is required" : "names no equipment")
          + ": the Wi-Fi controllers and switches allowed to send (CIDR blocks)");
    }
    byte[] secret = secret(radius.get("secret_file"), dir);
    List<Config.UserRule> users = new ArrayList<>();
    for (Node item : n.get("users").items()) {
      if (!item.checkKeys(Set.of("match", "group"))) {
        item.problem("should be a mapping like {match: \"*@staff.school.sch.uk\", group: staff}");
        continue;
      }
      String match = item.get("match").as(IdentityReader::match, true);
      Node groupNode = item.get("group");
      String group = groupNode.text(true);
      if (group != null && !groups.isEmpty() && !groups.contains(group)) {
        groupNode.problem('"' + group + "\" is not a group (groups: " + String.join(", ", groups) + ")");
        group = null;
      }
      if (match != null && group != null) {
        users.add(new Config.UserRule(match, group));
      }
    }
    java.time.Duration sessionMax = Fields.duration(n.get("session_max"), Config.Identity.SESSION_MAX);
    return new Config.Identity(listen, List.copyOf(clients), secret, List.copyOf(users), sessionMax);
  }

  /** The secret file's first line; reported when missing, unreadable or empty. */
  private static byte[] secret(Node n, Path dir) {
    Path file = Fields.path(dir, n, true);
    if (file == null) {
      return null;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String first = lines.isEmpty() ? "" : lines.get(0).strip();
      if (first.isEmpty()) {
        n.problem(file + " has no secret on its first line");
        return null;
      }
      return first.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      n.problem("cannot read " + file + " (the file holds the RADIUS shared secret on its first line)");
      return null;
    }
  }

  /** An exact user name, {@code *@domain} or {@code prefix*}: one {@code *} at most, only there. */
  static String match(String s) {
    String m = s.strip().toLowerCase(Locale.ROOT);
    int star = m.indexOf('*');
    boolean ok = !m.isEmpty() && m.length() <= MAX_MATCH && m.chars().noneMatch(c -> c < 0x21 || c == 0x7f)
        && (star < 0 || star == m.lastIndexOf('*') && (m.startsWith("*@") && m.length() > 2 || star == m.length() - 1 && star > 0));
    if (!ok) {
      throw new IllegalArgumentException('"' + s + "\" is not a user rule (an exact name, \"*@domain\" or \"prefix*\")");
    }
    return m;
  }
}
