package org.schoolgate.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.schoolgate.policy.Policy;
import org.schoolgate.values.Cidr;
import org.schoolgate.values.TimeRange;
import org.schoolgate.values.Timetable;

/**
 * Reads {@code schoolgate.yaml} into a {@link Config}, collecting every problem (not just the
 * first) so that {@code check} can list them all. Nothing half-valid ever comes out.
 */
public final class ConfigLoader {
  /** Categories the proxy itself assigns; they need no list file. */
  public static final Set<String> BUILT_IN_CATEGORIES = Policy.BUILT_IN_CATEGORIES;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigLoader() {}

  public static Config load(Path file) throws ConfigException {
    Path abs = file.toAbsolutePath().normalize();
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(abs));
    } catch (NoSuchFileException e) {
      throw new ConfigException(List.of(file + ": no such file"));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
      throw new ConfigException(List.of(file + ": not valid YAML" + where + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      throw new ConfigException(List.of(file + ": the file is empty"));
    }
    List<String> problems = new ArrayList<>();
    Config config = new ConfigLoader.Reader(abs, new Node(root, "", problems), problems).read();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  private static final class Reader {
    private final Path file;
    private final Path dir;
    private final Node root;
    private final List<String> problems;

    Reader(Path file, Node root, List<String> problems) {
      this.file = file;
      this.dir = file.getParent();
      this.root = root;
      this.problems = problems;
    }

    Config read() {
      root.checkKeys(Set.of("timezone", "listen", "upstream", "networks", "default_group", "timetable",
          "groups", "allow", "blocklists", "data_dir", "log_dir", "log_retention_days", "circumvention", "admin",
          "limits"));
      ZoneId zone = root.get("timezone").as(ConfigValues::zone, true);
      Config.Listen listen = listen(root.get("listen"));
      Config.Upstream upstream = upstream(root.get("upstream"));
      Map<String, GroupRulesDraft> groups = groups(root.get("groups"));
      Map<String, List<Cidr>> networks = networks(root.get("networks"), groups.keySet());
      Node defaultGroupNode = root.get("default_group");
      String defaultGroup = defaultGroupNode.text(true);
      if (defaultGroup != null && !groups.isEmpty() && !groups.containsKey(defaultGroup)) {
        defaultGroupNode.problem('"' + defaultGroup + "\" is not a group (groups: " + String.join(", ", groups.keySet()) + ")");
      }
      Timetable timetable = timetable(root.get("timetable"), zone);
      List<String> allow = hostList(root.get("allow"));
      Path blocklists = path(root.get("blocklists"), true);
      Path dataDir = path(root.get("data_dir"), true);
      Path logDir = path(root.get("log_dir"), true);
      Integer retention = root.get("log_retention_days").integer(1, 3650, true);
      Config.Circumvention circumvention = circumvention(root.get("circumvention"));
      Config.Admin admin = admin(root.get("admin"), networks.get(defaultGroup), defaultGroup);
      Config.Limits limits = limits(root.get("limits"));
      checkCategories(groups, blocklists);

      Map<String, Config.GroupRules> groupRules = new LinkedHashMap<>();
      groups.forEach((name, g) -> groupRules.put(name, new Config.GroupRules(Set.copyOf(g.block), Set.copyOf(g.blockInLessons))));
      if (!problems.isEmpty()) {
        return null;
      }
      return new Config(file, zone, listen, upstream, Collections.unmodifiableMap(networks), defaultGroup, timetable,
          Collections.unmodifiableMap(groupRules), List.copyOf(allow), blocklists, dataDir, logDir, retention,
          circumvention, admin, limits);
    }

    private Config.Limits limits(Node n) {
      Config.Limits d = Config.Limits.DEFAULTS;
      if (n.isNull()) {
        return d;
      }
      n.checkKeys(Set.of("connections_per_client", "request_head_timeout", "buffer_budget_percent"));
      Node perClient = n.get("connections_per_client");
      Integer connections = perClient.isNull() ? Integer.valueOf(d.connectionsPerClient()) : perClient.integer(8, 1_000_000, true);
      Duration head = duration(n.get("request_head_timeout"), d.requestHeadTimeout());
      Node budget = n.get("buffer_budget_percent");
      Integer percent = budget.isNull() ? Integer.valueOf(d.bufferBudgetPercent()) : budget.integer(5, 90, true);
      return new Config.Limits(connections == null ? d.connectionsPerClient() : connections, head,
          percent == null ? d.bufferBudgetPercent() : percent);
    }

    private Config.Listen listen(Node n) {
      if (!n.checkKeys(Set.of("proxy", "intercept_http", "intercept_tls", "admin"))) {
        n.problem("is required (listener addresses)");
        return null;
      }
      Config.Listen l = new Config.Listen(
          n.get("proxy").as(ConfigValues::socketAddress, false),
          n.get("intercept_http").as(ConfigValues::socketAddress, false),
          n.get("intercept_tls").as(ConfigValues::socketAddress, false),
          n.get("admin").as(ConfigValues::socketAddress, false));
      if (l.proxy() == null && l.interceptHttp() == null && l.interceptTls() == null && problems.isEmpty()) {
        n.problem("no proxy listener is configured (set proxy, intercept_http or intercept_tls)");
      }
      Set<InetSocketAddress> seen = new LinkedHashSet<>();
      for (InetSocketAddress a : new InetSocketAddress[] {l.proxy(), l.interceptHttp(), l.interceptTls(), l.admin()}) {
        if (a != null && a.getPort() != 0 && !seen.add(a)) {
          n.problem("two listeners share the address " + a.getHostString() + ":" + a.getPort());
        }
      }
      return l;
    }

    private Config.Upstream upstream(Node n) {
      n.checkKeys(Set.of("http_port", "tls_port", "hosts_file", "connect_timeout", "idle_timeout", "dns_servers",
          "refuse_local"));
      Integer http = n.get("http_port").isNull() ? Integer.valueOf(80) : n.get("http_port").integer(1, 65535, false);
      Integer tls = n.get("tls_port").isNull() ? Integer.valueOf(443) : n.get("tls_port").integer(1, 65535, false);
      Path hosts = path(n.get("hosts_file"), false);
      if (hosts != null && !Files.isReadable(hosts)) {
        n.get("hosts_file").problem("cannot read " + hosts);
      }
      Duration connect = duration(n.get("connect_timeout"), Duration.ofSeconds(5));
      Duration idle = duration(n.get("idle_timeout"), Duration.ofMinutes(5));
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

    private Duration duration(Node n, Duration dflt) {
      if (n.isNull()) {
        return dflt;
      }
      Duration d = n.as(Durations::parse, true);
      if (d != null && d.isZero()) {
        n.problem("must be more than zero");
      }
      return d == null ? dflt : d;
    }

    private static final class GroupRulesDraft {
      final Set<String> block = new LinkedHashSet<>();
      final Set<String> blockInLessons = new LinkedHashSet<>();
      /** Every category named in block, then in block_in_lessons, with its node: checked against the lists later. */
      final List<Map.Entry<Node, String>> named = new ArrayList<>();
    }

    private Map<String, GroupRulesDraft> groups(Node n) {
      Map<String, GroupRulesDraft> out = new LinkedHashMap<>();
      if (n.isNull()) {
        n.problem("is required: at least one group, e.g. pupils: {block: [social]}");
        return out;
      }
      for (Map.Entry<String, Node> e : n.entries()) {
        Node g = e.getValue();
        checkName(g, e.getKey());
        GroupRulesDraft d = new GroupRulesDraft();
        if (!g.isNull()) {
          g.checkKeys(Set.of("block", "block_in_lessons"));
        }
        for (Node item : g.get("block").items()) {
          String c = item.text(true);
          if (c != null) {
            d.named.add(Map.entry(item, c));
          }
          if (c != null && !d.block.add(c)) {
            item.problem('"' + c + "\" is listed twice");
          }
        }
        for (Node item : g.get("block_in_lessons").items()) {
          String c = item.text(true);
          if (c != null) {
            d.named.add(Map.entry(item, c));
          }
          if (c != null && !d.blockInLessons.add(c)) {
            item.problem('"' + c + "\" is listed twice");
          }
          if (c != null && d.block.contains(c)) {
            item.problem('"' + c + "\" is already blocked at all times (in block)");
          }
        }
        out.put(e.getKey(), d);
      }
      return out;
    }

    private void checkName(Node n, String name) {
      if (!name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
        n.problem("group names are lower-case letters, digits, - and _");
      }
    }

    private Map<String, List<Cidr>> networks(Node n, Set<String> groups) {
      Map<String, List<Cidr>> out = new LinkedHashMap<>();
      for (Map.Entry<String, Node> e : n.entries()) {
        if (!groups.isEmpty() && !groups.contains(e.getKey())) {
          e.getValue().problem('"' + e.getKey() + "\" is not a group (groups: " + String.join(", ", groups) + ")");
        }
        List<Cidr> cidrs = new ArrayList<>();
        for (Node item : e.getValue().items()) {
          Cidr c = item.as(Cidr::parse, true);
          if (c != null) {
            cidrs.add(c);
          }
        }
        out.put(e.getKey(), List.copyOf(cidrs));
      }
      return out;
    }

    private Timetable timetable(Node n, ZoneId zone) {
      if (!n.checkKeys(Set.of("days", "school_day", "breaks"))) {
        n.problem("is required (days, school_day, breaks)");
        return null;
      }
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      for (Node item : n.get("days").items()) {
        DayOfWeek d = item.as(ConfigValues::day, true);
        if (d != null && !days.add(d)) {
          item.problem(d + " is listed twice");
        }
      }
      Node dayNode = n.get("school_day");
      TimeRange schoolDay = dayNode.as(TimeRange::parse, true);
      List<TimeRange> breaks = new ArrayList<>();
      for (Node item : n.get("breaks").items()) {
        TimeRange b = item.as(TimeRange::parse, true);
        if (b == null) {
          continue;
        }
        if (schoolDay != null && (b.start().isBefore(schoolDay.start()) || b.end().isAfter(schoolDay.end()))) {
          item.problem("break " + b + " is not inside the school day " + schoolDay);
        }
        for (TimeRange other : breaks) {
          if (other.overlaps(b)) {
            item.problem("break " + b + " overlaps break " + other);
          }
        }
        breaks.add(b);
      }
      if (zone == null || schoolDay == null) {
        return null;
      }
      breaks.sort((a, b) -> a.start().compareTo(b.start()));
      return new Timetable(zone, days, schoolDay, breaks);
    }

    private List<String> hostList(Node n) {
      List<String> out = new ArrayList<>();
      for (Node item : n.items()) {
        String h = item.as(ConfigValues::domain, true);
        if (h != null) {
          out.add(h);
        }
      }
      return out;
    }

    private Path path(Node n, boolean required) {
      String t = n.text(required);
      if (t == null || t.isBlank()) {
        if (t != null && required) {
          n.problem("is required");
        }
        return null;
      }
      return dir.resolve(t).normalize();
    }

    private Config.Circumvention circumvention(Node n) {
      if (!n.isNull()) {
        n.checkKeys(Set.of("allowed_connect_ports", "supervise_after", "supervise_within", "supervision",
            "supervision_allow", "ech_public_names"));
      }
      Set<Integer> ports = new TreeSet<>();
      Node portsNode = n.get("allowed_connect_ports");
      if (portsNode.isNull()) {
        ports.add(443);
      }
      for (Node item : portsNode.items()) {
        Integer p = item.integer(1, 65535, true);
        if (p != null) {
          ports.add(p);
        }
      }
      Node after = n.get("supervise_after");
      Integer superviseAfter = after.isNull() ? Integer.valueOf(5) : after.integer(1, 1_000_000, true);
      Duration within = duration(n.get("supervise_within"), Duration.ofMinutes(10));
      Node mode = n.get("supervision");
      Config.SupervisionMode supervision = mode.isNull() ? Config.SupervisionMode.LOCKDOWN : mode.as(ConfigValues::supervisionMode, true);
      List<String> supervisionAllow = hostList(n.get("supervision_allow"));
      Set<String> ech = new LinkedHashSet<>(hostList(n.get("ech_public_names")));
      return new Config.Circumvention(Set.copyOf(ports), superviseAfter == null ? 5 : superviseAfter, within,
          supervision, List.copyOf(supervisionAllow), Collections.unmodifiableSet(ech));
    }

    /** allow_from must never include the default (fail-closed, pupils') group's networks. */
    private Config.Admin admin(Node n, List<Cidr> pupilNetworks, String pupilGroup) {
      if (!n.isNull()) {
        n.checkKeys(Set.of("allow_from"));
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
      return new Config.Admin(List.copyOf(allow));
    }

    private void checkCategories(Map<String, GroupRulesDraft> groups, Path blocklists) {
      if (blocklists == null) {
        return;
      }
      Set<String> available;
      try {
        available = CategoryFiles.scan(blocklists).keySet();
      } catch (IOException e) {
        root.get("blocklists").problem("cannot read the folder " + blocklists + ": " + e.getMessage());
        return;
      }
      for (GroupRulesDraft g : groups.values()) {
        for (Map.Entry<Node, String> named : g.named) {
          checkKnown(named.getKey(), named.getValue(), available);
        }
      }
    }

    /** The lists were read once, by groups(): reading them again here reported a malformed list twice. */
    private void checkKnown(Node item, String c, Set<String> available) {
      if (!available.contains(c) && !BUILT_IN_CATEGORIES.contains(c)) {
        item.problem("unknown category \"" + c + "\" (no " + c + ".txt or " + c + "/domains in the blocklists folder; known: "
            + String.join(", ", new TreeSet<>(available)) + ")");
      }
    }
  }
}
