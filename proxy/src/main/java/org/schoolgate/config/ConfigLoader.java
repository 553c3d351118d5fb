package org.schoolgate.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.policy.Policy;
import org.schoolgate.values.Cidr;
import org.schoolgate.values.Timetable;

/**
 * Reads {@code schoolgate.yaml} into a {@link Config}, collecting every problem (not just the
 * first) so that {@code check} can list them all. Nothing half-valid ever comes out. Each
 * section has its reader ({@link ListenReader}, {@link GroupsReader}, ...); this class reads the
 * file and puts the sections together.
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
    Config config = read(abs, new Node(root, "", problems), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /** Reads every section in file order, so that problems are listed in the order a reader meets them. */
  private static Config read(Path file, Node root, List<String> problems) {
    Path dir = file.getParent();
    root.checkKeys(Set.of("timezone", "listen", "upstream", "networks", "default_group", "timetable",
        "groups", "allow", "blocklists", "data_dir", "log_dir", "log_retention_days", "circumvention", "admin",
        "limits", "site", "store", "tls_block_page", "alerts", "lists", "dns", "identity"));
    ZoneId zone = root.get("timezone").as(ConfigValues::zone, true);
    Config.Listen listen = ListenReader.read(root.get("listen"), problems);
    Config.Upstream upstream = UpstreamReader.read(root.get("upstream"), dir);
    Map<String, GroupsReader.Draft> groups = GroupsReader.read(root.get("groups"));
    Map<String, List<Cidr>> networks = NetworksReader.read(root.get("networks"), groups.keySet());
    Node defaultGroupNode = root.get("default_group");
    String defaultGroup = defaultGroupNode.text(true);
    if (defaultGroup != null && !groups.isEmpty() && !groups.containsKey(defaultGroup)) {
      defaultGroupNode.problem('"' + defaultGroup + "\" is not a group (groups: " + String.join(", ", groups.keySet()) + ")");
    }
    Timetable timetable = TimetableReader.read(root.get("timetable"), zone);
    List<String> allow = Fields.hostList(root.get("allow"));
    Path blocklists = Fields.path(dir, root.get("blocklists"), true);
    Path dataDir = Fields.path(dir, root.get("data_dir"), true);
    Path logDir = Fields.path(dir, root.get("log_dir"), true);
    Integer retention = root.get("log_retention_days").integer(1, 3650, true);
    Config.Circumvention circumvention = CircumventionReader.read(root.get("circumvention"));
    Config.Admin admin = AdminReader.read(root.get("admin"), networks.get(defaultGroup), defaultGroup, dir);
    Config.Limits limits = LimitsReader.read(root.get("limits"));
    String site = StoreReader.site(root.get("site"));
    Config.Store store = StoreReader.read(root.get("store"), dir);
    Config.TlsBlockPage tlsBlockPage = TlsBlockPageReader.read(root.get("tls_block_page"), dir);
    GroupsReader.checkCategories(groups, blocklists, root.get("blocklists"));
    Set<String> blocked = new java.util.TreeSet<>();
    groups.values().forEach(g -> {
      blocked.addAll(g.block);
      blocked.addAll(g.blockInLessons);
    });
    Config.Alerts alerts = AlertsReader.read(root.get("alerts"), dir, blocked);
    Config.Lists lists = ListsReader.read(root.get("lists"), zone == null ? java.time.ZoneOffset.UTC : zone);
    Config.Dns dns = DnsReader.read(root.get("dns"), listen == null ? null : listen.dns(), DnsReader.RESOLV_CONF);
    Config.Identity identity = IdentityReader.read(root.get("identity"), dir, groups.keySet());

    Map<String, Config.GroupRules> groupRules = new LinkedHashMap<>();
    groups.forEach((name, g) -> groupRules.put(name, new Config.GroupRules(Set.copyOf(g.block), Set.copyOf(g.blockInLessons),
        g.safeSearch, g.youtube)));
    if (!problems.isEmpty()) {
      return null;
    }
    return new Config(file, zone, listen, upstream, Collections.unmodifiableMap(networks), defaultGroup, timetable,
        Collections.unmodifiableMap(groupRules), List.copyOf(allow), blocklists, dataDir, logDir, retention,
        circumvention, admin, limits, site, store, tlsBlockPage, alerts, lists, dns, identity);
  }
}
