package org.schoolgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.values.TimeRange;

/**
 * The optional {@code lists} section (SPEC section 13): category lists the gateway fetches from
 * their publishers. Absent: no subscriptions, the defaults for the rest.
 */
final class ListsReader {
  static final Set<String> FORMATS = Set.of("ut1", "domains", "hosts", "adblock");
  static final TimeRange DEFAULT_WINDOW = TimeRange.parse("01:00-05:00");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
  private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB)?");
  /** UT1 asks its users not to download between 08:00 and 19:00 GMT. */
  private static final TimeRange UT1_QUIET_UTC = TimeRange.parse("08:00-19:00");

  private ListsReader() {}

  static Config.Lists read(Node n, ZoneId zone) {
    if (n.isNull()) {
      return new Config.Lists(DEFAULT_WINDOW, 3, 512L << 20, Config.Lists.CONNECT_TIMEOUT, Config.Lists.READ_TIMEOUT,
          List.of());
    }
    n.checkKeys(Set.of("update_window", "keep", "max_size", "connect_timeout", "read_timeout", "subscriptions"));
    Node w = n.get("update_window");
    TimeRange window = w.isNull() ? DEFAULT_WINDOW : w.as(TimeRange::parse, true);
    Node k = n.get("keep");
    Integer keep = k.isNull() ? Integer.valueOf(3) : k.integer(1, 30, true);
    Long maxSize = size(n.get("max_size"), 512L << 20);
    Duration connect = Fields.duration(n.get("connect_timeout"), Config.Lists.CONNECT_TIMEOUT);
    Duration read = Fields.duration(n.get("read_timeout"), Config.Lists.READ_TIMEOUT);
    List<Config.Subscription> subs = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (Node item : n.get("subscriptions").items()) {
      Config.Subscription s = subscription(item, names);
      if (s != null) {
        subs.add(s);
        if (window != null && s.enabled() && s.format().equals("ut1") && s.url().getHost().endsWith("ut-capitole.fr")
            && inQuietHours(window, zone)) {
          n.get("update_window").problem("UT1 asks its users not to download between 08:00 and 19:00 GMT; \""
              + window + "\" in " + zone + " falls in those hours on some days (the default \"01:00-05:00\" does not)");
        }
      }
    }
    return new Config.Lists(window == null ? DEFAULT_WINDOW : window, keep == null ? 3 : keep,
        maxSize == null ? 512L << 20 : maxSize, connect, read, List.copyOf(subs));
  }

  /** Whether the window, in {@code zone}, meets 08:00-19:00 UTC on a winter or a summer day. */
  static boolean inQuietHours(TimeRange window, ZoneId zone) {
    for (LocalDate day : List.of(LocalDate.of(2026, 1, 15), LocalDate.of(2026, 7, 15))) {
      ZoneOffset offset = zone.getRules().getOffset(day.atTime(12, 0));
      LocalTime start = day.atTime(window.start()).toInstant(offset).atOffset(ZoneOffset.UTC).toLocalTime();
      long minutes = Duration.between(window.start(), window.end()).toMinutes();
      for (long m = 0; m < minutes; m += 1) {
        if (UT1_QUIET_UTC.contains(start.plusMinutes(m))) {
          return true;
        }
      }
    }
    return false;
  }

  private static Config.Subscription subscription(Node n, Set<String> names) {
    if (!n.checkKeys(Set.of("name", "url", "format", "map", "allow", "category", "licence", "enabled"))) {
      return null;
    }
    String name = n.get("name").text(true);
    if (name != null && !NAME.matcher(name).matches()) {
      n.get("name").problem('"' + name + "\" is not a subscription name (lower-case letters, digits, - and _; it names a folder)");
      name = null;
    } else if (name != null && !names.add(name)) {
      n.get("name").problem('"' + name + "\" names two subscriptions");
      name = null;
    }
    URI url = url(n.get("url"));
    String format = n.get("format").text(true);
    if (format != null && !FORMATS.contains(format)) {
      n.get("format").problem('"' + format + "\" is not a list format (formats: ut1, domains, hosts, adblock)");
      format = null;
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : n.get("map").entries()) {
      String to = e.getValue().text(true);
      if (!CATEGORY.matcher(e.getKey()).matches()) {
        e.getValue().problem('"' + e.getKey() + "\" is not a source category name");
      } else if (to != null && !CATEGORY.matcher(to).matches()) {
        e.getValue().problem('"' + to + "\" is not a category name (lower-case letters, digits, - and _)");
      } else if (to != null) {
        map.put(e.getKey(), to);
      }
    }
    Set<String> allow = new LinkedHashSet<>();
    for (Node item : n.get("allow").items()) {
      String a = item.text(true);
      if (a != null && map.containsKey(a)) {
        item.problem('"' + a + "\" is both mapped (blocked) and allowed");
      } else if (a != null) {
        allow.add(a);
      }
    }
    Node categoryNode = n.get("category");
    String category = categoryNode.text(false);
    if (category != null && !CATEGORY.matcher(category).matches()) {
      categoryNode.problem('"' + category + "\" is not a category name (lower-case letters, digits, - and _)");
    }
    if ("ut1".equals(format)) {
      if (category != null) {
        categoryNode.problem("a ut1 subscription has many categories: name them in map, not here");
      }
      if (map.isEmpty() && n.get("map").isNull()) {
        n.get("map").problem("is required for a ut1 subscription (which of its categories go into which of ours)");
      }
    } else if (format != null) {
      if (category == null) {
        categoryNode.problem("is required for a " + format + " subscription (the whole file is one category)");
      }
      if (!n.get("map").isNull() || !n.get("allow").isNull()) {
        n.get(n.get("map").isNull() ? "allow" : "map").problem("only a ut1 subscription has source categories; a "
            + format + " list is all one category");
      }
    }
    String licence = n.get("licence").text(false);
    Node en = n.get("enabled");
    Boolean enabled = en.isNull() ? Boolean.TRUE : en.as(ConfigValues::bool, true);
    if (name == null || url == null || format == null || enabled == null) {
      return null;
    }
    return new Config.Subscription(name, url, format, Map.copyOf(map), Set.copyOf(allow), category,
        licence == null ? "" : licence, enabled);
  }

  private static URI url(Node n) {
    String text = n.text(true);
    if (text == null) {
      return null;
    }
    try {
      URI u = new URI(text.strip());
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    n.problem('"' + text + "\" is not a web address like https://lists.example.org/gambling.txt");
    return null;
  }

  /** {@code 512MiB}, {@code 64KiB}, {@code 1000000} (bytes). */
  static Long size(Node n, long dflt) {
    String t = n.text(false);
    if (t == null) {
      return dflt;
    }
    Matcher m = SIZE.matcher(t.strip());
    if (!m.matches()) {
      n.problem('"' + t + "\" is not a size (write it like 512MiB, 64KiB or a number of bytes)");
      return null;
    }
    String unit = m.group(2) == null ? "B" : m.group(2);
    int shift = switch (unit.toUpperCase(Locale.ROOT)) {
      case "KIB" -> 10;
      case "MIB" -> 20;
      case "GIB" -> 30;
      default -> 0;
    };
    long v = Long.parseLong(m.group(1));
    if (v == 0 || v > (Long.MAX_VALUE >> 31)) {
      n.problem('"' + t + "\" is out of range");
      return null;
    }
    return v << shift;
  }
}
