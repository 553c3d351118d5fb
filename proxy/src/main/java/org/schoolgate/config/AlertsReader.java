package org.schoolgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The optional {@code alerts} section (SPEC section 11): who hears of a supervision, a report or a
 * pupil blocked in a sensitive category, and how (SMTP, a webhook, or both). Absent: no alerts.
 */
final class AlertsReader {
  static final Set<String> KINDS = Set.of("supervised", "report", "category", "lists");
  private static final String ADDRESS = "[^@\\s<>\",;]+@[^@\\s<>\",;]+\\.[^@\\s<>\",;]+";

  private AlertsReader() {}

  static Config.Alerts read(Node n, Path dir, Set<String> blockedCategories) {
    if (n.isNull()) {
      return null;
    }
    n.checkKeys(Set.of("to", "from", "smtp", "webhook", "on", "categories", "digest"));
    Config.Smtp smtp = smtp(n.get("smtp"), dir);
    URI webhook = webhook(n.get("webhook"));
    List<String> to = new ArrayList<>();
    for (Node item : n.get("to").items()) {
      String a = address(item);
      if (a != null) {
        to.add(a);
      }
    }
    String from = n.get("from").isNull() && smtp == null ? null : address(n.get("from"));
    if (smtp != null && to.isEmpty()) {
      n.get("to").problem("name at least one address (the designated safeguarding lead) to send alerts to");
    }
    if (smtp == null && webhook == null) {
      n.problem("set smtp (email) or webhook, or both: otherwise no alert could be delivered");
    }
    Set<String> on = new LinkedHashSet<>();
    Node onNode = n.get("on");
    if (onNode.isNull()) {
      on.addAll(List.of("supervised", "report", "category", "lists"));
    }
    for (Node item : onNode.items()) {
      String k = item.text(true);
      if (k != null && !KINDS.contains(k)) {
        item.problem('"' + k + "\" is not an alert; the alerts are supervised, report, category and lists");
      } else if (k != null) {
        on.add(k);
      }
    }
    Set<String> categories = new LinkedHashSet<>();
    for (Node item : n.get("categories").items()) {
      String c = item.text(true);
      if (c != null && !blockedCategories.contains(c)) {
        item.problem('"' + c + "\" is not blocked for any group, so no pupil could be blocked in it (blocked: "
            + String.join(", ", new java.util.TreeSet<>(blockedCategories)) + ")");
      } else if (c != null) {
        categories.add(c);
      }
    }
    Duration digest = Fields.duration(n.get("digest"), Duration.ofMinutes(15));
    return new Config.Alerts(List.copyOf(to), from, smtp, webhook, Set.copyOf(on), Set.copyOf(categories), digest);
  }

  private static String address(Node n) {
    String a = n.text(true);
    if (a != null && !a.strip().matches(ADDRESS)) {
      n.problem('"' + a + "\" is not an email address like dsl@school.example");
      return null;
    }
    return a == null ? null : a.strip();
  }

  private static Config.Smtp smtp(Node n, Path dir) {
    if (n.isNull()) {
      return null;
    }
    if (!n.checkKeys(Set.of("host", "port", "starttls", "username", "password_file"))) {
      return null;
    }
    String host = n.get("host").text(true);
    Node portNode = n.get("port");
    Integer port = portNode.isNull() ? Integer.valueOf(587) : portNode.integer(1, 65535, true);
    Node tls = n.get("starttls");
    Boolean starttls = tls.isNull() ? Boolean.TRUE : tls.as(ConfigValues::bool, true);
    String username = n.get("username").text(false);
    Node passNode = n.get("password_file");
    Path passwordFile = Fields.path(dir, passNode, false);
    if (username != null && passwordFile == null) {
      passNode.problem("is required with a username (a file holding the SMTP password, readable by schoolgate only)");
    }
    if (passwordFile != null && !Files.isReadable(passwordFile)) {
      passNode.problem("cannot read " + passwordFile);
    }
    if (host == null || port == null || starttls == null) {
      return null;
    }
    return new Config.Smtp(host, port, starttls, username, passwordFile);
  }

  private static URI webhook(Node n) {
    String text = n.text(false);
    if (text == null) {
      return null;
    }
    try {
      URI u = new URI(text);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    n.problem('"' + text + "\" is not a web address like https://hooks.school.example/alerts");
    return null;
  }
}
