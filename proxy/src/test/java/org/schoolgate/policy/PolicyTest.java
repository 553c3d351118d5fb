package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.values.Timetable;

/**
 * Decisions of SPEC section 4 on the standard groups of section 3 (pupils, staff, office) plus a
 * "guests" group that blocks social media but not circumvention. Monday 2026-01-12, London = UTC.
 */
class PolicyTest {
  static final String YAML = """
      timezone: Europe/London
      listen:
        proxy: 127.0.0.1:3128
        admin: 127.0.0.1:8088
      networks:
        pupils: [10.10.0.0/16, "fd00:10::/48"]
        office: [10.20.99.0/24, 10.30.0.0/24]
        staff: [10.20.0.0/16, "fd00:20::/48"]
        guests: [10.40.0.0/16]
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
        guests:
          block: [social]
      allow: [classroom.google.com]
      blocklists: blocklists/
      data_dir: data/
      log_dir: logs/
      log_retention_days: 90
      circumvention:
        allowed_connect_ports: [443]
        supervision: lockdown
        supervision_allow: [classroom.google.com]
      """;

  static final List<String> CATEGORIES = List.of("chat", "circumvention", "forums", "media-sharing", "microblogging", "social");

  static final String PUPIL = "10.10.1.1";
  static final String STAFF = "10.20.1.1";
  static final String OFFICE = "10.30.0.7";
  static final String GUEST = "10.40.0.9";

  static final Instant LESSON = Instant.parse("2026-01-12T09:00:00Z");
  static final Instant BREAK = Instant.parse("2026-01-12T10:35:00Z");
  static final Instant AFTER_SCHOOL = Instant.parse("2026-01-12T18:00:00Z");
  static final Instant SATURDAY = Instant.parse("2026-01-17T11:00:00Z");

  @TempDir
  Path dir;

  Config config;

  @BeforeEach
  void loadConfig() throws Exception {
    config = load(YAML);
  }

  private Config load(String yaml) throws Exception {
    return load(dir, yaml);
  }

  /** Loads {@code yaml} from {@code dir}, beside an empty list for each of CATEGORIES (the tests build their lists). */
  static Config load(Path dir, String yaml) throws Exception {
    Path lists = dir.resolve("blocklists");
    Files.createDirectories(lists);
    for (String c : CATEGORIES) {
      Files.writeString(lists.resolve(c + ".txt"), "");
    }
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file);
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // IP literals only: no DNS
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Category lists from "category", "domain", "domain", ... groups; categories are in CATEGORIES order. */
  static CategoryLists lists(Map<String, List<String>> entries) {
    CategoryLists.Builder b = new CategoryLists.Builder(CATEGORIES);
    entries.forEach((category, domains) -> {
      int index = CATEGORIES.indexOf(category);
      assertTrue(index >= 0, category);
      domains.forEach(d -> b.add(d, index));
    });
    return b.build();
  }

  static CategoryLists standardLists() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("social", List.of("facebook.com", "instagram.com", "my-site.example.com"));
    m.put("forums", List.of("reddit.com"));
    m.put("chat", List.of("discord.com"));
    m.put("media-sharing", List.of("youtube.com"));
    m.put("microblogging", List.of("x.com"));
    m.put("circumvention", List.of("proxysite.com", "nordvpn.com"));
    return lists(m);
  }

  private Policy policy(AdminRules admin) {
    return new Policy(config.policy(), standardLists(), admin);
  }

  private Policy policy() {
    return policy(AdminRules.EMPTY);
  }

  private static Decision decide(Policy p, String client, String host, int port, Access access, Instant now) {
    Timetable.State state = p.config().timetable().stateAt(now);
    return p.decide(ip(client), host, port, access, now, state);
  }

  private static Decision https(Policy p, String client, String host, Instant now) {
    return decide(p, client, host, 443, Access.CONNECT, now);
  }

  private static void assertBlocked(Decision d, String category) {
    assertFalse(d.allowed(), () -> "allowed: " + d);
    assertEquals(category, d.category(), d::toString);
  }

  private static void assertAllowed(Decision d) {
    assertTrue(d.allowed(), () -> "blocked: " + d);
  }

  // ---- 1. group --------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "10.10.0.1,     pupils",
      "10.10.255.254, pupils",
      "10.20.1.1,     staff",
      "10.20.99.5,    office",   // office's /24 comes before staff's /16 in the file
      "10.30.0.7,     office",
      "10.40.3.3,     guests",
      "fd00:10::5,    pupils",
      "fd00:20:0:1::9, staff",
      "192.168.1.5,   pupils",   // in no network: default_group
      "10.50.0.1,     pupils",
      "2001:db8::1,   pupils",
      "127.0.0.1,     pupils",
  })
  void groupIsTheFirstNetworkInFileOrderElseTheDefault(String client, String group) {
    Policy p = policy();
    assertEquals(group, p.groupOf(ip(client)));
    assertEquals(group, https(p, client, "example.org", LESSON).group());
  }

  @Test
  void aBroaderNetworkEarlierInTheFileWinsOverANarrowerOneLater() throws Exception {
    config = load(YAML.replace("""
          office: [10.20.99.0/24, 10.30.0.0/24]
          staff: [10.20.0.0/16, "fd00:20::/48"]
        """, """
          staff: [10.20.0.0/16, "fd00:20::/48"]
          office: [10.20.99.0/24, 10.30.0.0/24]
        """));
    assertEquals("staff", policy().groupOf(ip("10.20.99.5")));
    assertEquals("office", policy().groupOf(ip("10.30.0.5")));
  }

  @Test
  void anIpv6ClientIsFilteredByItsGroup() {
    Policy p = policy();
    assertBlocked(https(p, "fd00:10::5", "facebook.com", BREAK), "social");
    assertAllowed(https(p, "fd00:20::5", "facebook.com", BREAK));
    assertBlocked(https(p, "fd00:20::5", "facebook.com", LESSON), "social");
  }

  // ---- 3. suffix matching ----------------------------------------------------------------------

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "facebook.com,               social:facebook.com",
      "m.facebook.com,             social:facebook.com",
      "a.b.c.facebook.com,         social:facebook.com",
      "www.instagram.com,          social:instagram.com",
      "notfacebook.com,            ",
      "facebook.com.example.org,   ",
      "facebook.co,                ",
      "book.com,                   ",
      "com,                        ",
  })
  void hostsMatchListEntriesOnLabelBoundaries(String host, String rule) {
    Decision d = https(policy(), PUPIL, host, LESSON);
    assertEquals(rule == null, d.allowed(), d::toString);
    assertEquals(rule, d.rule());
  }

  @Test
  void noMatchingRuleAllows() {
    Decision d = https(policy(), PUPIL, "www.bbc.co.uk", LESSON);
    assertAllowed(d);
    assertNull(d.category());
    assertNull(d.rule());
    assertNull(d.circumvention());
    assertEquals(Timetable.Period.LESSON, d.period());
  }

  @Test
  void aGroupThatBlocksACategoryWithNoListIsRefusedWhenThePolicyIsBuilt() {
    CategoryLists onlyCircumvention = new CategoryLists.Builder(List.of("circumvention")).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Policy(config.policy(), onlyCircumvention, AdminRules.EMPTY));
    assertTrue(e.getMessage().startsWith("no list loaded for category \""), e.getMessage());
  }

  // ---- 4. longest match ------------------------------------------------------------------------

  @Test
  void theLongestMatchingRuleDecides() {
    Policy p = new Policy(config.policy(), lists(Map.of(
        "forums", List.of("google.com"),
        "media-sharing", List.of("ads.classroom.google.com"))), AdminRules.EMPTY);

    assertBlocked(https(p, PUPIL, "google.com", LESSON), "forums");
    assertBlocked(https(p, PUPIL, "www.google.com", LESSON), "forums");
    Decision classroom = https(p, PUPIL, "classroom.google.com", LESSON);
    assertAllowed(classroom);
    assertEquals("allow:classroom.google.com", classroom.rule());
    assertAllowed(https(p, PUPIL, "www.classroom.google.com", LESSON));
    assertBlocked(https(p, PUPIL, "ads.classroom.google.com", LESSON), "media-sharing");
    assertBlocked(https(p, PUPIL, "x.ads.classroom.google.com", LESSON), "media-sharing");
  }

  @Test
  void theSchoolWideAllowBeatsAShorterAdminBlock() {
    Policy p = policy(new AdminRules(List.of("google.com"), List.of(), List.of(), Set.of()));
    assertBlocked(https(p, PUPIL, "mail.google.com", LESSON), "reported");
    assertAllowed(https(p, PUPIL, "classroom.google.com", LESSON));
  }

  @Test
  void onEqualLengthABlockBeatsAnAllow() {
    Policy p = new Policy(config.policy(), lists(Map.of("social", List.of("classroom.google.com"))), AdminRules.EMPTY);
    Decision d = https(p, PUPIL, "classroom.google.com", LESSON);
    assertBlocked(d, "social");
    assertEquals("social:classroom.google.com", d.rule());

    Policy reported = policy(new AdminRules(List.of("classroom.google.com"), List.of(), List.of(), Set.of()));
    assertBlocked(https(reported, OFFICE, "classroom.google.com", LESSON), "reported");
  }

  @Test
  void aCategoryTheGroupDoesNotBlockIsNoRuleSoAShorterRuleStillDecides() {
    // staff in a break: social is not blocked now, so the admin block of the parent decides
    Policy p = new Policy(config.policy(), lists(Map.of("social", List.of("www.example.com"))),
        new AdminRules(List.of("example.com"), List.of(), List.of(), Set.of()));
    assertBlocked(https(p, STAFF, "www.example.com", BREAK), "reported");
  }

  // ---- staff, office and the timetable ---------------------------------------------------------

  @ParameterizedTest(name = "staff at {0}: reopens at {1}")
  @CsvSource({
      "2026-01-12T08:45:00Z, 2026-01-12T10:30:00Z",
      "2026-01-12T09:00:00Z, 2026-01-12T10:30:00Z",
      "2026-01-12T10:45:00Z, 2026-01-12T12:00:00Z",
      "2026-01-12T14:00:00Z, 2026-01-12T15:15:00Z",
  })
  void staffBlockedFromSocialInLessonsUntilTheNextBreakOrTheEndOfTheDay(Instant now, Instant reopens) {
    Decision d = https(policy(), STAFF, "www.facebook.com", now);
    assertBlocked(d, "social");
    assertEquals("staff", d.group());
    assertEquals(Timetable.Period.LESSON, d.period());
    assertEquals(reopens, d.reopensAt());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"2026-01-12T10:30:00Z", "2026-01-12T12:59:59Z", "2026-01-12T08:44:59Z", "2026-01-12T15:15:00Z",
      "2026-01-12T18:00:00Z", "2026-01-17T11:00:00Z"})
  void staffAllowedSocialMediaInBreaksAndOutsideSchoolHours(Instant now) {
    for (String host : List.of("facebook.com", "reddit.com", "discord.com", "youtube.com", "x.com")) {
      assertAllowed(https(policy(), STAFF, host, now));
    }
  }

  @Test
  void staffBlockedFromSocialInLessonButAllowedInBreak() {
    assertBlocked(https(policy(), STAFF, "facebook.com", LESSON), "social");
    assertAllowed(https(policy(), STAFF, "facebook.com", BREAK));
  }

  @Test
  void pupilsAreBlockedAtAllTimesWithNoReopeningTime() {
    for (Instant now : List.of(LESSON, BREAK, AFTER_SCHOOL, SATURDAY)) {
      Decision d = https(policy(), PUPIL, "facebook.com", now);
      assertBlocked(d, "social");
      assertNull(d.reopensAt());
    }
    assertBlocked(https(policy(), PUPIL, "reddit.com", BREAK), "forums");
    assertBlocked(https(policy(), PUPIL, "discord.com", BREAK), "chat");
    assertBlocked(https(policy(), PUPIL, "youtube.com", BREAK), "media-sharing");
    assertBlocked(https(policy(), PUPIL, "x.com", BREAK), "microblogging");
  }

  @Test
  void officeIsNeverBlockedFromSocialMedia() {
    for (Instant now : List.of(LESSON, BREAK, AFTER_SCHOOL)) {
      for (String host : List.of("facebook.com", "www.instagram.com", "x.com", "youtube.com")) {
        assertAllowed(https(policy(), OFFICE, host, now));
      }
    }
  }

  // ---- admin blocks and approved unblocks ------------------------------------------------------

  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({
      "10.10.1.1, 2026-01-12T09:00:00Z",
      "10.20.1.1, 2026-01-12T10:35:00Z",
      "10.30.0.7, 2026-01-12T09:00:00Z",
      "10.40.0.9, 2026-01-17T11:00:00Z",
      "fd00:20::5, 2026-01-12T18:00:00Z",
  })
  void anAdminBlockBlocksEveryGroupAtAllTimes(String client, Instant now) {
    Policy p = policy(new AdminRules(List.of("example.com"), List.of(), List.of(), Set.of()));
    for (String host : List.of("example.com", "www.example.com")) {
      Decision d = decide(p, client, host, 80, Access.HTTP, now);
      assertBlocked(d, "reported");
      assertEquals("reported:example.com", d.rule());
      assertNull(d.circumvention());
    }
    assertAllowed(decide(p, client, "notexample.com", 80, Access.HTTP, now));
  }

  @Test
  void anApprovedUnblockBeatsTheCategoryLists() {
    Policy p = policy(new AdminRules(List.of(), List.of("reddit.com"), List.of(), Set.of()));
    Decision d = https(p, PUPIL, "reddit.com", LESSON);
    assertAllowed(d);
    assertEquals("unblock:reddit.com", d.rule());
  }

  @Test
  void anApprovedUnblockOfASubdomainBeatsTheListedParent() {
    Policy p = policy(new AdminRules(List.of(), List.of("old.reddit.com"), List.of(), Set.of()));
    assertAllowed(https(p, PUPIL, "old.reddit.com", LESSON));
    assertBlocked(https(p, PUPIL, "www.reddit.com", LESSON), "forums");
  }

  // ---- overrides -------------------------------------------------------------------------------

  @Test
  void aGroupOverrideLiftsACategoryForThatGroupUntilItExpires() {
    Instant until = Instant.parse("2026-01-12T10:00:00Z");
    CurriculumOverride o = new CurriculumOverride(1, "pupils", null, Set.of("social"), Set.of(), until, "media studies");
    Policy p = policy(new AdminRules(List.of(), List.of(), List.of(o), Set.of()));

    assertAllowed(https(p, PUPIL, "facebook.com", LESSON));
    assertAllowed(https(p, "10.10.200.3", "m.facebook.com", until.minusNanos(1)));
    assertBlocked(https(p, PUPIL, "facebook.com", until), "social");
    assertBlocked(https(p, PUPIL, "reddit.com", LESSON), "forums");       // other categories stay blocked
    assertBlocked(https(p, STAFF, "facebook.com", LESSON), "social");     // other groups are not affected
  }

  @Test
  void aSiteAnOverrideLetsThroughNamesTheOverride() {
    Instant until = Instant.parse("2026-01-12T10:00:00Z");
    CurriculumOverride o = new CurriculumOverride(4, "pupils", null, Set.of("social"), Set.of(), until, "media studies");
    Policy p = policy(new AdminRules(List.of(), List.of(), List.of(o), Set.of()));

    Decision d = https(p, PUPIL, "m.facebook.com", LESSON);
    assertEquals("override#4:facebook.com", d.rule(), "not \"no rule matches\": " + d);
    assertEquals("social", d.category(), "the category it lifted");
    assertEquals("allowed by a lesson allowance", d.reason());
    assertEquals(o, d.override());
    assertEquals(null, https(p, PUPIL, "example.org", LESSON).override(), "a site in no list owes nothing to it");
    assertEquals(null, https(p, PUPIL, "example.org", LESSON).rule());
  }

  @Test
  void aClientOverrideLiftsADomainForThatDeviceOnly() {
    Instant until = Instant.parse("2026-01-12T11:00:00Z");
    CurriculumOverride o = new CurriculumOverride(7, null, ip("10.10.5.5"), Set.of(), Set.of("music.youtube.com"), until, "music lesson");
    Policy p = policy(new AdminRules(List.of(), List.of(), List.of(o), Set.of()));

    Decision d = https(p, "10.10.5.5", "music.youtube.com", LESSON);
    assertAllowed(d);
    assertEquals("override#7:music.youtube.com", d.rule());
    assertEquals(o, d.override());
    assertAllowed(https(p, "10.10.5.5", "a.music.youtube.com", LESSON));
    assertBlocked(https(p, "10.10.5.5", "www.youtube.com", LESSON), "media-sharing");   // only the named domain
    assertBlocked(https(p, "10.10.5.6", "music.youtube.com", LESSON), "media-sharing"); // only that device
    assertBlocked(https(p, "10.10.5.5", "music.youtube.com", until), "media-sharing");  // expired at until
    assertBlocked(https(p, "10.10.5.5", "facebook.com", LESSON), "social");
  }

  @Test
  void aClientOverrideOfACategoryLiftsItForThatDeviceOnly() {
    Instant until = Instant.parse("2026-01-12T11:00:00Z");
    CurriculumOverride o = new CurriculumOverride(8, null, ip("fd00:10::42"), Set.of("media-sharing"), Set.of(), until, "music lesson");
    Policy p = policy(new AdminRules(List.of(), List.of(), List.of(o), Set.of()));

    assertAllowed(https(p, "fd00:10::42", "www.youtube.com", LESSON));
    assertBlocked(https(p, "fd00:10::43", "www.youtube.com", LESSON), "media-sharing");
    assertBlocked(https(p, "fd00:10::42", "www.youtube.com", until), "media-sharing");
  }

  @Test
  void anOverrideNeverLiftsCircumventionByCategory() {
    CurriculumOverride o = new CurriculumOverride(2, "pupils", null, Set.of("circumvention", "social"), Set.of(),
        Instant.parse("2026-01-13T00:00:00Z"), "everything");
    Policy p = policy(new AdminRules(List.of(), List.of(), List.of(o), Set.of()));

    assertAllowed(https(p, PUPIL, "facebook.com", LESSON));
    Decision d = https(p, PUPIL, "proxysite.com", LESSON);
    assertBlocked(d, "circumvention");
    assertEquals(CircumventionKind.CIRCUMVENTION_SITE, d.circumvention());
    assertEquals(CircumventionKind.CONNECT_PORT, decide(p, PUPIL, "example.org", 22, Access.CONNECT, LESSON).circumvention());
    assertEquals(CircumventionKind.IP_LITERAL, decide(p, PUPIL, "1.2.3.4", 443, Access.CONNECT, LESSON).circumvention());
  }

  @Test
  void anOverrideNeverLiftsCircumventionByDomain() {
    CurriculumOverride o = new CurriculumOverride(3, null, ip(PUPIL), Set.of(), Set.of("proxysite.com"),
        Instant.parse("2026-01-13T00:00:00Z"), "testing");
    Policy p = policy(new AdminRules(List.of(), List.of(), List.of(o), Set.of()));

    Decision d = https(p, PUPIL, "proxysite.com", LESSON);
    assertBlocked(d, "circumvention");
    assertEquals(CircumventionKind.CIRCUMVENTION_SITE, d.circumvention());
  }

  @Test
  void anOverrideOfASubdomainOfACircumventionSiteNeverLiftsCircumvention() {
    CurriculumOverride o = new CurriculumOverride(4, "pupils", null, Set.of(), Set.of("eu.proxysite.com"),
        Instant.parse("2026-01-13T00:00:00Z"), "testing");
    Policy p = policy(new AdminRules(List.of(), List.of(), List.of(o), Set.of()));

    Decision d = https(p, PUPIL, "eu.proxysite.com", LESSON);
    assertBlocked(d, "circumvention");
    assertEquals(CircumventionKind.CIRCUMVENTION_SITE, d.circumvention());
  }

  // ---- 5. circumvention ------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({
      "10.10.1.1,  2026-01-12T09:00:00Z",
      "10.10.1.1,  2026-01-12T10:35:00Z",
      "10.10.1.1,  2026-01-17T11:00:00Z",
      "10.20.1.1,  2026-01-12T09:00:00Z",
      "10.20.1.1,  2026-01-12T10:35:00Z",
      "10.30.0.7,  2026-01-12T09:00:00Z",
      "10.30.0.7,  2026-01-12T18:00:00Z",
      "fd00:10::9, 2026-01-12T09:00:00Z",
  })
  void groupsThatBlockCircumventionBlockEveryKindOfAttempt(String client, Instant now) {
    Policy p = policy();

    Decision port = decide(p, client, "example.org", 22, Access.CONNECT, now);
    assertBlocked(port, "circumvention");
    assertEquals(CircumventionKind.CONNECT_PORT, port.circumvention());
    assertEquals("connect-port:22", port.rule());

    Decision v4 = decide(p, client, "1.2.3.4", 443, Access.CONNECT, now);
    assertBlocked(v4, "circumvention");
    assertEquals(CircumventionKind.IP_LITERAL, v4.circumvention());

    Decision v6 = decide(p, client, "2001:db8::1", 443, Access.CONNECT, now);
    assertBlocked(v6, "circumvention");
    assertEquals(CircumventionKind.IP_LITERAL, v6.circumvention());

    assertEquals(CircumventionKind.IP_LITERAL, decide(p, client, "1.2.3.4", 443, Access.TLS, now).circumvention());

    for (String host : List.of("proxysite.com", "www.proxysite.com")) {
      Decision site = decide(p, client, host, 443, Access.TLS, now);
      assertBlocked(site, "circumvention");
      assertEquals(CircumventionKind.CIRCUMVENTION_SITE, site.circumvention());
      assertEquals("circumvention:proxysite.com", site.rule());
    }
    assertEquals(CircumventionKind.CIRCUMVENTION_SITE,
        decide(p, client, "nordvpn.com", 80, Access.HTTP, now).circumvention());

    assertAllowed(decide(p, client, "example.org", 443, Access.CONNECT, now));
  }

  @Test
  void plainHttpToAnIpLiteralIsNotCircumvention() {
    Decision d = decide(policy(), PUPIL, "1.2.3.4", 80, Access.HTTP, LESSON);
    assertAllowed(d);
    assertNull(d.circumvention());
    assertAllowed(decide(policy(), PUPIL, "2001:db8::1", 8080, Access.HTTP, LESSON));
  }

  @Test
  void plainHttpToAnOddPortIsNotAConnectPortAttempt() {
    assertAllowed(decide(policy(), PUPIL, "example.org", 8080, Access.HTTP, LESSON));
  }

  @Test
  void aGroupWithoutCircumventionGetsNoneOfThese() {
    Policy p = policy();
    assertAllowed(decide(p, GUEST, "example.org", 22, Access.CONNECT, LESSON));
    assertAllowed(decide(p, GUEST, "1.2.3.4", 443, Access.CONNECT, LESSON));
    assertAllowed(decide(p, GUEST, "2001:db8::1", 443, Access.TLS, LESSON));
    Decision site = decide(p, GUEST, "proxysite.com", 443, Access.TLS, LESSON);
    assertAllowed(site);
    assertNull(site.circumvention());
    assertFalse(p.blocksCircumvention(ip(GUEST), Timetable.Period.LESSON));
    assertTrue(p.blocksCircumvention(ip(OFFICE), Timetable.Period.BREAK));
    // guests still have their own block
    assertBlocked(https(p, GUEST, "facebook.com", LESSON), "social");
  }

  // ---- translate.goog --------------------------------------------------------------------------

  @Test
  void aBlockedSiteThroughGoogleTranslateIsACircumventionSiteForPupils() {
    Decision d = https(policy(), PUPIL, "www-facebook-com.translate.goog", LESSON);
    assertBlocked(d, "circumvention");
    assertEquals(CircumventionKind.CIRCUMVENTION_SITE, d.circumvention());
    assertTrue(d.detail().contains("via translate.goog"), d::toString);
    assertEquals("www.facebook.com via translate.goog", d.detail());
  }

  @Test
  void aDoubleHyphenInATranslateGoogLabelIsAHyphen() {
    Decision d = https(policy(), PUPIL, "my--site-example-com.translate.goog", LESSON);
    assertBlocked(d, "circumvention");
    assertEquals("my-site.example.com via translate.goog", d.detail());
    assertEquals("my-site.example.com", TranslateGoog.decode("my--site-example-com.translate.goog"));
    assertEquals("www.facebook.com", TranslateGoog.decode("www-facebook-com.translate.goog"));
  }

  @ParameterizedTest
  @CsvSource({"translate.goog", "a.b.translate.goog", "nodots.translate.goog", "-x-com.translate.goog"})
  void translateGoogNamesThatCarryNoSiteDecodeToNothing(String host) {
    assertNull(TranslateGoog.decode(host));
  }

  @Test
  void anAllowedSiteThroughGoogleTranslateIsAllowed() {
    assertAllowed(https(policy(), PUPIL, "en-wikipedia-org.translate.goog", LESSON));
  }

  @Test
  void aGroupWithoutCircumventionGetsTheInnerCategoryThroughGoogleTranslate() {
    Decision d = https(policy(), GUEST, "www-facebook-com.translate.goog", LESSON);
    assertBlocked(d, "social");
    assertNull(d.circumvention());
    assertEquals("www.facebook.com via translate.goog", d.detail());
  }

  // ---- 2. lockdown -----------------------------------------------------------------------------

  @Test
  void aDeviceUnderLockdownReachesOnlyTheSupervisionAllowList() {
    InetAddress device = ip("10.10.7.7");
    Policy p = policy(AdminRules.EMPTY.withLockdown(Set.of(device)));

    for (String host : List.of("en.wikipedia.org", "google.com", "www.bbc.co.uk", "notclassroom.google.com")) {
      Decision d = https(p, "10.10.7.7", host, LESSON);
      assertBlocked(d, "supervision");
      assertTrue(d.supervisedBlock());
      assertNull(d.circumvention());
    }
    Decision plainIp = decide(p, "10.10.7.7", "1.2.3.4", 80, Access.HTTP, AFTER_SCHOOL);
    assertBlocked(plainIp, "supervision");
    assertAllowed(https(p, "10.10.7.7", "classroom.google.com", LESSON));
    assertAllowed(https(p, "10.10.7.7", "www.classroom.google.com", SATURDAY));
    // other devices are not affected
    assertAllowed(https(p, "10.10.7.8", "en.wikipedia.org", LESSON));
  }

  @Test
  void lockdownAppliesWhateverTheDevicesGroup() {
    InetAddress staffDevice = ip(STAFF);
    Policy p = policy(AdminRules.EMPTY.withLockdown(Set.of(staffDevice)));
    assertBlocked(https(p, STAFF, "facebook.com", BREAK), "supervision");
    assertBlocked(https(p, STAFF, "example.org", AFTER_SCHOOL), "supervision");
  }

  @Test
  void aCircumventionAttemptUnderLockdownIsStillRecordedAsOne() {
    Policy p = policy(AdminRules.EMPTY.withLockdown(Set.of(ip(PUPIL))));
    Decision d = decide(p, PUPIL, "example.org", 22, Access.CONNECT, LESSON);
    assertBlocked(d, "circumvention");
    assertEquals(CircumventionKind.CONNECT_PORT, d.circumvention());
  }

  @Test
  void lockdownKeepsTheOtherAdminRules() {
    AdminRules admin = new AdminRules(List.of("example.com"), List.of(), List.of(), Set.of());
    Policy p = policy(admin.withLockdown(Set.of(ip(PUPIL))));
    assertBlocked(https(p, STAFF, "example.com", LESSON), "reported");
    assertBlocked(https(p, PUPIL, "example.org", LESSON), "supervision");
  }
}
