package org.schoolgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.schoolgate.policy.PolicyConfig;
import org.schoolgate.policy.YouTubeMode;
import org.schoolgate.values.TimeRange;

class ConfigLoaderTest {
  /** The configuration of SPEC section 3, with the blocklists folder beside the file. */
  static final String VALID = """
      timezone: Europe/London
      listen:
        proxy: 127.0.0.1:3128
        intercept_http: 127.0.0.1:3129
        intercept_tls: 127.0.0.1:3130
        admin: 127.0.0.1:8088
      upstream:
        http_port: 80
        tls_port: 443
        hosts_file: null
        connect_timeout: 5s
        idle_timeout: 5m
      networks:
        pupils: [10.10.0.0/16]
        staff: [10.20.0.0/16]
        office: [10.30.0.0/24]
      default_group: pupils
      timetable:
        days: [MON, TUE, WED, THU, FRI]
        school_day: "08:45-15:15"
        breaks: ["10:30-10:45", "12:00-13:00"]
      groups:
        pupils:
          block: [social, forums, chat, media-sharing, microblogging, circumvention]
        staff:
          block: [circumvention]
          block_in_lessons: [social, forums, chat, media-sharing, microblogging]
        office:
          block: [circumvention]
      allow: [classroom.google.com]
      blocklists: blocklists/
      data_dir: data/
      log_dir: logs/
      log_retention_days: 90
      circumvention:
        allowed_connect_ports: [443]
        supervise_after: 5
        supervise_within: 10m
        supervision: lockdown
        supervision_allow: [classroom.google.com]
        ech_public_names: [cloudflare-ech.com]
      admin:
        allow_from: [127.0.0.0/8, "::1/128", 10.20.0.0/16, 10.30.0.0/24]
      """;

  static final List<String> CATEGORIES = List.of("social", "forums", "chat", "media-sharing", "microblogging", "circumvention");
  static final String KNOWN = "known: chat, circumvention, forums, media-sharing, microblogging, social";

  @TempDir
  Path dir;

  /** Writes a blocklists folder with one small list per standard category. */
  static void writeBlocklists(Path folder) throws IOException {
    Files.createDirectories(folder);
    for (String c : CATEGORIES) {
      Files.writeString(folder.resolve(c + ".txt"), "# " + c + "\n" + c + "-example.com\n");
    }
  }

  private Path write(String yaml) throws IOException {
    writeBlocklists(dir.resolve("blocklists"));
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String edit(String yaml, String from, String to) {
    assertTrue(yaml.contains(from), () -> "test setup: the YAML has no \"" + from + "\"");
    return yaml.replace(from, to);
  }

  private List<String> problemsOf(String yaml) throws IOException {
    Path file = write(yaml);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(file)).problems();
  }

  // ---- valid files --------------------------------------------------------------------------

  @Test
  void theSpecExampleLoadsWithEveryValue() throws Exception {
    Config c = ConfigLoader.load(write(VALID));

    assertEquals(ZoneId.of("Europe/London"), c.timezone());
    assertEquals(new InetSocketAddress("127.0.0.1", 3128), c.listen().proxy());
    assertEquals(new InetSocketAddress("127.0.0.1", 3130), c.listen().interceptTls());
    assertEquals(new InetSocketAddress("127.0.0.1", 8088), c.listen().admin());
    assertEquals(Duration.ofSeconds(5), c.upstream().connectTimeout());
    assertEquals(Duration.ofMinutes(5), c.upstream().idleTimeout());
    assertEquals(List.of("pupils", "staff", "office"), List.copyOf(c.networks().keySet()));
    assertEquals("pupils", c.defaultGroup());
    assertEquals(List.of("pupils", "staff", "office"), List.copyOf(c.groups().keySet()));
    assertEquals(Set.of("social", "forums", "chat", "media-sharing", "microblogging"),
        c.groups().get("staff").blockInLessons());
    assertEquals(Set.of("circumvention"), c.groups().get("office").block());
    assertEquals(List.of(TimeRange.parse("10:30-10:45"), TimeRange.parse("12:00-13:00")), c.timetable().breaks());
    assertEquals(LocalTime.of(8, 45), c.timetable().schoolDay().start());
    assertEquals(List.of("classroom.google.com"), c.allow());
    assertEquals(90, c.logRetentionDays());
    assertEquals(Set.of(443), c.circumvention().allowedConnectPorts());
    assertEquals(5, c.circumvention().superviseAfter());
    assertEquals(Duration.ofMinutes(10), c.circumvention().superviseWithin());
    assertEquals(Config.SupervisionMode.LOCKDOWN, c.circumvention().supervision());
    assertEquals(Set.of("cloudflare-ech.com"), c.circumvention().echPublicNames());
    assertEquals(4, c.admin().allowFrom().size());
    assertEquals(Set.copyOf(CATEGORIES), c.referencedCategories());
  }

  @Test
  void thePolicyGetsItsPartOfTheFileInFileOrder() throws Exception {
    Config c = ConfigLoader.load(write(VALID));
    PolicyConfig p = c.policy();

    assertEquals(c.timetable(), p.timetable());
    assertEquals(ZoneId.of("Europe/London"), p.timezone());
    assertEquals(List.copyOf(c.networks().entrySet()), List.copyOf(p.networks().entrySet()));
    assertEquals("pupils", p.defaultGroup());
    assertEquals(List.of("pupils", "staff", "office"), List.copyOf(p.groups().keySet()));
    assertEquals(c.groups().get("staff").block(), p.groups().get("staff").block());
    assertEquals(c.groups().get("staff").blockInLessons(), p.groups().get("staff").blockInLessons());
    assertEquals(List.of("classroom.google.com"), p.allow());
    assertEquals(Set.of(443), p.allowedConnectPorts());
    assertEquals(c.circumvention().supervisionAllow(), p.supervisionAllow());
  }

  @Test
  void safeSearchAndYouTubeAreOffUnlessAGroupTurnsThemOn() throws Exception {
    Config c = ConfigLoader.load(write(edit(edit(VALID,
        "    block: [social, forums, chat, media-sharing, microblogging, circumvention]\n",
        "    block: [social, forums, chat, media-sharing, microblogging, circumvention]\n"
            + "    safe_search: true\n    youtube: strict\n"),
        "    block: [circumvention]\n    block_in_lessons", "    block: [circumvention]\n    youtube: moderate\n"
            + "    safe_search: false\n    block_in_lessons")));
    assertEquals(new Config.GroupRules(Set.copyOf(CATEGORIES), Set.of(), true, YouTubeMode.STRICT), c.groups().get("pupils"));
    assertEquals(YouTubeMode.MODERATE, c.groups().get("staff").youtube());
    assertFalse(c.groups().get("staff").safeSearch());
    assertFalse(c.groups().get("office").safeSearch(), "off unless set");
    assertEquals(YouTubeMode.OFF, c.groups().get("office").youtube());
    PolicyConfig.GroupRules pupils = c.policy().groups().get("pupils");
    assertTrue(pupils.safeSearch());
    assertEquals(YouTubeMode.STRICT, pupils.youtube());
    assertTrue(c.policy().frontEnds().hostsByEngine().containsKey("Google"), "the shipped front ends come with the policy");
  }

  @Test
  void youtubeOffIsOffThoughYamlReadsTheWordAsFalse() throws Exception {
    Config c = ConfigLoader.load(write(edit(VALID, "    block: [circumvention]\nallow",
        "    block: [circumvention]\n    youtube: off\n    safe_search: yes\nallow")));
    assertEquals(YouTubeMode.OFF, c.groups().get("office").youtube());
  }

  @Test
  void relativePathsResolveAgainstTheConfigFilesFolder() throws Exception {
    Path etc = dir.resolve("etc");
    Files.createDirectories(etc);
    writeBlocklists(dir.resolve("lists"));
    Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
    String yaml = edit(edit(edit(VALID, "blocklists: blocklists/", "blocklists: ../lists/"),
        "hosts_file: null", "hosts_file: hosts"), "log_dir: logs/", "log_dir: " + dir.resolve("var/log"));
    Path file = etc.resolve("schoolgate.yaml");
    Files.writeString(file, yaml);

    Config c = ConfigLoader.load(file);

    Path base = dir.toAbsolutePath().normalize();
    assertEquals(base.resolve("lists"), c.blocklists());
    assertEquals(base.resolve("etc/data"), c.dataDir());
    assertEquals(base.resolve("etc/hosts"), c.upstream().hostsFile());
    assertEquals(base.resolve("var/log"), c.logDir()); // absolute stays absolute
  }

  @Test
  void theShippedConfigurationLoadsWithoutProblems() throws Exception {
    Config c = ConfigLoader.load(Path.of("../config/schoolgate.yaml"));
    assertEquals(Path.of("../blocklists").toAbsolutePath().normalize(), c.blocklists());
    assertEquals("pupils", c.defaultGroup());
  }

  @Test
  void aUt1FolderIsACategory() throws Exception {
    Path file = write(edit(VALID, "block: [social, forums,", "block: [gambling, social, forums,"));
    Files.createDirectories(dir.resolve("blocklists/gambling"));
    Files.writeString(dir.resolve("blocklists/gambling/domains"), "casino.example\n");

    assertTrue(ConfigLoader.load(file).groups().get("pupils").block().contains("gambling"));
  }

  @Test
  void ipv6ListenAddressesNeedBrackets() throws Exception {
    Config c = ConfigLoader.load(write(edit(VALID, "admin: 127.0.0.1:8088", "admin: \"[::1]:8088\"")));
    assertEquals(new InetSocketAddress("::1", 8088), c.listen().admin());

    assertEquals(List.of("listen.admin: \"::1:8088\" is not an address:port (write it like 127.0.0.1:3128 or [::1]:3128)"),
        problemsOf(edit(VALID, "admin: 127.0.0.1:8088", "admin: \"::1:8088\"")));
  }

  // ---- one problem at a time, with its exact message ----------------------------------------

  static Stream<Arguments> singleProblems() {
    return Stream.of(
        Arguments.of("bad CIDR", "pupils: [10.10.0.0/16]", "pupils: [10.10.0.0/16, 10.10.0.0/33]",
            "networks.pupils[1]: \"10.10.0.0/33\" is not a CIDR block"),
        Arguments.of("bad CIDR in admin", "allow_from: [127.0.0.0/8,", "allow_from: [127.0.0.0/88,",
            "admin.allow_from[0]: \"127.0.0.0/88\" is not a CIDR block"),
        Arguments.of("bad duration", "connect_timeout: 5s", "connect_timeout: 5 seconds",
            "upstream.connect_timeout: \"5 seconds\" is not a duration (write it like 500ms, 30s, 10m or 2h)"),
        Arguments.of("zero duration", "supervise_within: 10m", "supervise_within: 0s",
            "circumvention.supervise_within: must be more than zero"),
        Arguments.of("malformed school day", "school_day: \"08:45-15:15\"", "school_day: \"8:45-15:15\"",
            "timetable.school_day: \"8:45-15:15\" is not a time range (write it like \"10:30-10:45\")"),
        Arguments.of("malformed break", "breaks: [\"10:30-10:45\", \"12:00-13:00\"]", "breaks: [\"10:30-10:45\", \"12:00-13:60\"]",
            "timetable.breaks[1]: \"12:00-13:60\" is not a time range (write it like \"10:30-10:45\")"),
        Arguments.of("break after the school day", "breaks: [\"10:30-10:45\", \"12:00-13:00\"]",
            "breaks: [\"10:30-10:45\", \"15:00-15:30\"]",
            "timetable.breaks[1]: break 15:00-15:30 is not inside the school day 08:45-15:15"),
        Arguments.of("break before the school day", "breaks: [\"10:30-10:45\", \"12:00-13:00\"]",
            "breaks: [\"08:00-09:00\", \"12:00-13:00\"]",
            "timetable.breaks[0]: break 08:00-09:00 is not inside the school day 08:45-15:15"),
        Arguments.of("overlapping breaks", "breaks: [\"10:30-10:45\", \"12:00-13:00\"]",
            "breaks: [\"10:30-10:45\", \"10:40-11:00\"]",
            "timetable.breaks[1]: break 10:40-11:00 overlaps break 10:30-10:45"),
        Arguments.of("unknown day", "days: [MON, TUE, WED, THU, FRI]", "days: [MON, TUE, WED, THU, FRY]",
            "timetable.days[4]: \"FRY\" is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)"),
        Arguments.of("unknown time zone", "timezone: Europe/London", "timezone: Europe/Londres",
            "timezone: \"Europe/Londres\" is not a time zone (write it like Europe/London)"),
        Arguments.of("unknown category", "block: [social, forums,", "block: [gaming, forums,",
            "groups.pupils.block[0]: unknown category \"gaming\" (no gaming.txt or gaming/domains in the blocklists folder; "
                + KNOWN + ")"),
        Arguments.of("unknown category in lessons", "block_in_lessons: [social, forums,", "block_in_lessons: [social, forum,",
            "groups.staff.block_in_lessons[1]: unknown category \"forum\" (no forum.txt or forum/domains in the blocklists folder; "
                + KNOWN + ")"),
        Arguments.of("default group not a group", "default_group: pupils", "default_group: visitors",
            "default_group: \"visitors\" is not a group (groups: pupils, staff, office)"),
        Arguments.of("network naming no group", "office: [10.30.0.0/24]", "office: [10.30.0.0/24]\n  teachers: [10.40.0.0/16]",
            "networks.teachers: \"teachers\" is not a group (groups: pupils, staff, office)"),
        Arguments.of("listen address without port", "proxy: 127.0.0.1:3128", "proxy: 127.0.0.1",
            "listen.proxy: \"127.0.0.1\" has no port (write it like 127.0.0.1:3128)"),
        Arguments.of("listen address that is a name", "proxy: 127.0.0.1:3128", "proxy: gateway.school:3128",
            "listen.proxy: \"gateway.school:3128\": listen and DNS addresses must be IP addresses, not names"),
        Arguments.of("two listeners on one address", "intercept_http: 127.0.0.1:3129", "intercept_http: 127.0.0.1:3128",
            "listen: two listeners share the address 127.0.0.1:3128"),
        Arguments.of("admin on a proxy listener's address", "admin: 127.0.0.1:8088", "admin: 127.0.0.1:3130",
            "listen: two listeners share the address 127.0.0.1:3130"),
        Arguments.of("port out of range", "tls_port: 443", "tls_port: 70000",
            "upstream.tls_port: 70000 is out of range (1 to 65535)"),
        Arguments.of("allow entry not a domain", "\nallow: [classroom.google.com]", "\nallow: [\"classroom google\"]",
            "allow[0]: \"classroom google\" is not a domain name"),
        Arguments.of("unknown supervision mode", "supervision: lockdown", "supervision: jail",
            "circumvention.supervision: \"jail\" is not a supervision mode (lockdown or flag)"),
        Arguments.of("category listed twice", "block: [circumvention]\n    block_in_lessons",
            "block: [circumvention, circumvention]\n    block_in_lessons",
            "groups.staff.block[1]: \"circumvention\" is listed twice"),
        Arguments.of("safe_search not a yes or no", "    block: [circumvention]\nallow", "    block: [circumvention]\n"
                + "    safe_search: always\nallow", "groups.office.safe_search: \"always\" is not true or false"),
        Arguments.of("safe_search a list", "    block: [circumvention]\nallow", "    block: [circumvention]\n"
                + "    safe_search: [google]\nallow", "groups.office.safe_search: should be a single value"),
        Arguments.of("youtube mode unknown", "    block: [circumvention]\n    block_in_lessons",
            "    block: [circumvention]\n    youtube: strictest\n    block_in_lessons",
            "groups.staff.youtube: \"strictest\" is not a YouTube restricted mode (off, moderate or strict)"),
        Arguments.of("youtube mode on", "    block: [circumvention]\n    block_in_lessons",
            "    block: [circumvention]\n    youtube: on\n    block_in_lessons",
            "groups.staff.youtube: \"true\" is not a YouTube restricted mode (off, moderate or strict)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleProblems")
  void reportsTheProblemAtItsPathInTheFile(String what, String from, String to, String expected) throws Exception {
    assertEquals(List.of(expected), problemsOf(edit(VALID, from, to)));
  }

  static Stream<Arguments> misspeltKeys() {
    return Stream.of(
        Arguments.of("log_retention_days: 90", "log_retension_days: 90", "log_retension_days"),
        Arguments.of("timezone: Europe/London", "timezone: Europe/London\nblocklist: x", "blocklist"),
        Arguments.of("  proxy: 127.0.0.1:3128", "  proxyy: 127.0.0.1:3128", "listen.proxyy"),
        Arguments.of("  connect_timeout: 5s", "  connect_timeout: 5s\n  dns: [10.0.0.53]", "upstream.dns"),
        Arguments.of("    block_in_lessons: [social,", "    block_in_lesson: [social,", "groups.staff.block_in_lesson"),
        Arguments.of("  supervise_after: 5", "  supervise_afterr: 5", "circumvention.supervise_afterr"),
        Arguments.of("  allow_from:", "  allow_form:", "admin.allow_form"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("misspeltKeys")
  void unknownKeysAreErrorsNamingTheirPath(String from, String to, String path) throws Exception {
    List<String> problems = problemsOf(edit(VALID, from, to));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(path + ": unknown key (known here: ")),
        () -> "no \"" + path + ": unknown key\" in " + problems);
  }

  @Test
  void theAdminEndpointMayNeverBeOpenToTheDefaultGroupsNetworks() throws Exception {
    List<String> problems = problemsOf(edit(VALID, "allow_from: [127.0.0.0/8,", "allow_from: [10.0.0.0/8, 127.0.0.0/8,"));
    assertEquals(List.of("admin.allow_from[0]: 10.0.0.0/8 overlaps 10.10.0.0/16, a network of the default group pupils; "
        + "the admin endpoint must never be reachable from pupils' networks"), problems);
  }

  @Test
  void limitsHaveDefaultsAndAreCheckedByName() throws Exception {
    assertEquals(Config.Limits.DEFAULTS, ConfigLoader.load(write(VALID)).limits());
    String limits = "log_retention_days: 90\nlimits:\n  connections_per_client: 3\n  request_head_timeout: 0s\n"
        + "  buffer_budget_percent: 95\n  max_connections: 5";
    List<String> problems = problemsOf(edit(VALID, "log_retention_days: 90", limits));
    assertTrue(problems.contains("limits.max_connections: unknown key (known here: buffer_budget_percent, "
        + "connections_per_client, request_head_timeout)"), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("limits.connections_per_client: ")), problems::toString);
    assertTrue(problems.contains("limits.request_head_timeout: must be more than zero"), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("limits.buffer_budget_percent: ")), problems::toString);
  }

  @Test
  void withoutAStoreSectionTheStoreIsSqliteAndTheSiteIsTheHostName() throws Exception {
    Config c = ConfigLoader.load(write(VALID));
    assertEquals(Config.Store.SQLITE, c.store());
    assertTrue(c.site().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}"), c.site());
  }

  @Test
  void aTrustsStoreIsPostgresqlWithItsPasswordFileBesideTheConfig() throws Exception {
    Files.writeString(dir.resolve("db.pass"), "secret\n");
    String trust = "log_retention_days: 90\nsite: mellers-primary\nstore:\n  kind: postgresql\n"
        + "  url: jdbc:postgresql://db.trust.example:5432/schoolgate\n  user: schoolgate\n  password_file: db.pass";
    Config c = ConfigLoader.load(write(edit(VALID, "log_retention_days: 90", trust)));
    assertEquals("mellers-primary", c.site());
    assertEquals(new Config.Store("postgresql", "jdbc:postgresql://db.trust.example:5432/schoolgate", "schoolgate",
        dir.resolve("db.pass")), c.store());
  }

  @Test
  void theStoreAndSiteAreCheckedByName() throws Exception {
    String bad = "log_retention_days: 90\nsite: Mellers Primary!\nstore:\n  kind: postgresql\n"
        + "  url: postgres://db/schoolgate\n  password_file: missing.pass\n  pool: 3";
    List<String> problems = problemsOf(edit(VALID, "log_retention_days: 90", bad));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("site: \"Mellers Primary!\" is not a site name")), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("store.url: \"postgres://db/schoolgate\" is not a PostgreSQL JDBC URL")),
        problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("store.password_file: cannot read ")), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("store.pool: unknown key")), problems::toString);
    assertEquals(List.of("store.kind: \"mysql\" is not a store kind (sqlite or postgresql)"),
        problemsOf(edit(VALID, "log_retention_days: 90", "log_retention_days: 90\nstore: {kind: mysql}")));
    assertEquals(List.of("store.url: is required"),
        problemsOf(edit(VALID, "log_retention_days: 90", "log_retention_days: 90\nstore: {kind: postgresql}")));
    assertEquals(List.of("store.url: is for kind postgresql only (SQLite keeps its file in data_dir)"),
        problemsOf(edit(VALID, "log_retention_days: 90", "log_retention_days: 90\nstore: {url: jdbc:postgresql://db/x}")));
  }

  @Test
  void anUnknownNestedKeyListsTheKnownOnes() throws Exception {
    assertEquals(List.of("listen.proxyy: unknown key (known here: admin, dns, intercept_http, intercept_tls, proxy)"),
        problemsOf(edit(VALID, "  proxy: 127.0.0.1:3128", "  proxyy: 127.0.0.1:3128")));
  }

  @Test
  void aCategoryListThatIsNotAListIsReportedOnce() throws Exception {
    List<String> problems = problemsOf(edit(VALID,
        "block: [social, forums, chat, media-sharing, microblogging, circumvention]", "block: social"));
    assertEquals(1, problems.stream().filter(p -> p.equals("groups.pupils.block: should be a list, like [a, b]")).count(),
        problems::toString);
  }

  @Test
  void unknownCategoryAfterADuplicateIsReportedAtItsOwnIndex() throws Exception {
    List<String> problems = problemsOf(edit(VALID, "block: [social, forums,", "block: [social, social, gaming, forums,"));
    assertTrue(problems.contains("groups.pupils.block[1]: \"social\" is listed twice"), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("groups.pupils.block[2]: unknown category \"gaming\"")),
        () -> "expected the unknown category at block[2] (its place in the file): " + problems);
  }

  @Test
  void reportsEveryProblemNotJustTheFirst() throws Exception {
    String yaml = edit(edit(edit(edit(VALID,
        "pupils: [10.10.0.0/16]", "pupils: [10.10.0.0/16, 10.10.0.0/33]"),
        "connect_timeout: 5s", "connect_timeout: soon"),
        "block: [social, forums,", "block: [gaming, forums,"),
        "log_retention_days: 90", "log_retention_days: 90\nlisten_on: 0.0.0.0");

    List<String> problems = problemsOf(yaml);

    assertEquals(4, problems.size(), problems::toString);
    assertTrue(problems.contains("networks.pupils[1]: \"10.10.0.0/33\" is not a CIDR block"), problems::toString);
    assertTrue(problems.contains("upstream.connect_timeout: \"soon\" is not a duration (write it like 500ms, 30s, 10m or 2h)"),
        problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("groups.pupils.block[0]: unknown category \"gaming\"")),
        problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("listen_on: unknown key")), problems::toString);
  }

  @Test
  void theExceptionMessageIsEveryProblemOnItsOwnLine() throws Exception {
    Path file = write(edit(edit(VALID, "default_group: pupils", "default_group: nobody"), "tls_port: 443", "tls_port: 0"));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(2, e.problems().size());
    assertEquals(String.join("\n", e.problems()), e.getMessage());
  }

  @Test
  void invalidYamlIsOneProblemNamingTheFileAndLine() throws Exception {
    Path file = write("timezone: Europe/London\nlisten: [127.0.0.1:3128\n  proxy: {\n");
    List<String> problems = assertThrows(ConfigException.class, () -> ConfigLoader.load(file)).problems();
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith(file + ": not valid YAML (line "), problems::toString);
  }

  @Test
  void aMissingFileIsOneProblem() {
    Path file = dir.resolve("nowhere.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(List.of(file + ": no such file"), e.problems());
  }

  @Test
  void anEmptyFileIsOneProblem() throws Exception {
    Path file = write("# nothing but a comment\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(List.of(file + ": the file is empty"), e.problems());
  }

  @Test
  void aMissingBlocklistsFolderIsAProblem() throws Exception {
    List<String> problems = problemsOf(edit(VALID, "blocklists: blocklists/", "blocklists: nowhere/"));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("blocklists: cannot read the folder " + dir.toAbsolutePath().normalize().resolve("nowhere")),
        problems::toString);
  }

  // ---- tls_block_page (SPEC section 9) --------------------------------------------------------

  @Test
  void theHttpsBlockPageIsOffUnlessNetworksAreListedAndItsFilesDefaultBesideTheConfiguration() throws Exception {
    Config.TlsBlockPage absent = ConfigLoader.load(write(VALID)).tlsBlockPage();
    assertTrue(!absent.on());
    Path base = dir.toAbsolutePath().normalize();
    assertEquals(base.resolve("ca/schoolgate-ca.pem"), absent.caCert());
    assertEquals(base.resolve("ca/schoolgate-ca.key"), absent.caKey());
    assertEquals(Config.TlsProvider.AUTO, absent.provider());
    assertEquals(100, absent.handshakesPerSecond());
    Config.TlsBlockPage on = ConfigLoader.load(write(VALID + "tls_block_page:\n  networks: [10.10.0.0/16]\n"
        + "  ca_cert: pki/ca.pem\n  ca_key: /etc/schoolgate/ca.key\n  provider: jdk\n  handshakes_per_second: 2500\n")).tlsBlockPage();
    assertEquals(Config.TlsProvider.JDK, on.provider());
    assertEquals(2500, on.handshakesPerSecond());
    assertTrue(on.on());
    assertEquals("[10.10.0.0/16]", on.networks().toString());
    assertEquals(base.resolve("pki/ca.pem"), on.caCert());
    assertEquals(Path.of("/etc/schoolgate/ca.key"), on.caKey());
    assertTrue(!ConfigLoader.load(write(VALID + "tls_block_page: {networks: []}\n")).tlsBlockPage().on());
  }

  @Test
  void tlsBlockPageProblemsNameTheirField() throws Exception {
    List<String> problems = problemsOf(VALID + "tls_block_page:\n  networks: [10.10.0.0/33]\n  ca_cert: ca.pem\n"
        + "  ca_key: ca.pem\n  ca_password: x\n  provider: boringssl\n  handshakes_per_second: 0\n");
    assertTrue(problems.contains("tls_block_page.provider: \"boringssl\" is not a TLS provider: auto, openssl or jdk"),
        problems::toString);
    assertTrue(problems.contains("tls_block_page.handshakes_per_second: 0 is not between 1 and 100000"), problems::toString);
    assertTrue(problems.contains("tls_block_page.networks[0]: \"10.10.0.0/33\" is not a CIDR block"), problems::toString);
    assertTrue(problems.contains("tls_block_page.ca_key: is the same file as ca_cert: the key and the certificate are two files"),
        problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("tls_block_page.ca_password: unknown key")), problems::toString);
  }

  // ---- alerts (SPEC 11) ------------------------------------------------------------------------

  static final String ALERTS = """
      alerts:
        to: [dsl@school.example]
        from: filter@school.example
        smtp: {host: smtp.school.example, port: 587, starttls: true, username: filter, password_file: smtp.pass}
        webhook: https://hooks.school.example/alerts
        on: [supervised, report, category]
        categories: [social, chat]
        digest: 15m
      """;

  @Test
  void theAlertsSectionOfSection11LoadsWithEveryValue() throws Exception {
    Files.writeString(dir.resolve("smtp.pass"), "secret\n");
    Config.Alerts a = ConfigLoader.load(write(VALID + ALERTS)).alerts();
    assertEquals(List.of("dsl@school.example"), a.to());
    assertEquals("filter@school.example", a.from());
    assertEquals(new Config.Smtp("smtp.school.example", 587, true, "filter", dir.resolve("smtp.pass")), a.smtp());
    assertEquals("https://hooks.school.example/alerts", a.webhook().toString());
    assertEquals(Set.of("supervised", "report", "category"), a.on());
    assertEquals(Set.of("social", "chat"), a.categories());
    assertEquals(Duration.ofMinutes(15), a.digest());
  }

  @Test
  void withoutAnAlertsSectionThereAreNoAlerts() throws Exception {
    assertEquals(null, ConfigLoader.load(write(VALID)).alerts());
  }

  @Test
  void badAlertsAreNamedByField() throws Exception {
    String bad = """
        alerts:
          to: [dsl-at-school]
          from: filter@school.example
          smtp: {host: smtp.school.example, port: 70000, username: filter, password_file: missing.pass, tls: yes}
          webhook: "ftp://x"
          on: [supervised, lunch]
          categories: [self-harm]
          digest: 0s
        """;
    List<String> problems = problemsOf(VALID + bad);
    assertTrue(problems.contains("alerts.to[0]: \"dsl-at-school\" is not an email address like dsl@school.example"),
        problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("alerts.smtp.tls: unknown key")), problems::toString);
    assertTrue(problems.contains("alerts.smtp.port: 70000 is out of range (1 to 65535)"), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("alerts.smtp.password_file: cannot read ")), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("alerts.webhook: \"ftp://x\" is not a web address")),
        problems::toString);
    assertTrue(problems.contains("alerts.on[1]: \"lunch\" is not an alert; the alerts are supervised, report, category and lists"),
        problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("alerts.categories[0]: \"self-harm\" is not blocked for any group")),
        problems::toString);
    assertTrue(problems.contains("alerts.digest: must be more than zero"), problems::toString);
  }

  @Test
  void alertsWithNoWayToDeliverThemAreRefused() throws Exception {
    List<String> problems = problemsOf(VALID + "alerts:\n  to: [dsl@school.example]\n");
    assertEquals(List.of("alerts: set smtp (email) or webhook, or both: otherwise no alert could be delivered"), problems);
  }
}
