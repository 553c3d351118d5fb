package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.schoolgate.policy.PolicyTest.ip;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC section 10 on PolicyTest's groups, with the shipped front ends: pupils enforce safe search
 * and YouTube's strict restricted mode, staff the moderate one, office and guests neither. The
 * decision carries the front end; only allowed connections are rerouted, whatever allowed them.
 */
class SafeSearchPolicyTest {
  static final String PUPIL = PolicyTest.PUPIL;
  static final String STAFF = PolicyTest.STAFF;
  static final String OFFICE = PolicyTest.OFFICE;
  static final Instant LESSON = PolicyTest.LESSON;
  static final Instant BREAK = PolicyTest.BREAK;

  static final Reroute GOOGLE = new Reroute("forcesafesearch.google.com", "Google", "safe search enforced (Google)");
  static final Reroute YOUTUBE_STRICT = new Reroute("restrict.youtube.com", "YouTube",
      "restricted mode enforced (YouTube, strict)");
  static final Reroute YOUTUBE_MODERATE = new Reroute("restrictmoderate.youtube.com", "YouTube",
      "restricted mode enforced (YouTube, moderate)");

  static final String YAML = PolicyTest.YAML
      .replace("    block: [social, forums, chat, media-sharing, microblogging, circumvention]\n",
          "    block: [social, forums, chat, media-sharing, microblogging, circumvention]\n"
              + "    safe_search: true\n    youtube: strict\n")
      .replace("  staff:\n    block: [circumvention]\n", "  staff:\n    block: [circumvention]\n    youtube: moderate\n");

  @TempDir
  Path dir;
  PolicyConfig config;

  @BeforeEach
  void load() throws Exception {
    assertTrue(YAML.contains("safe_search: true") && YAML.contains("youtube: moderate"), "test setup: the groups were edited");
    config = PolicyTest.load(dir, YAML).policy();
  }

  private Policy policy(AdminRules admin) {
    return new Policy(config, PolicyTest.standardLists(), admin);
  }

  private static Decision decide(Policy p, String client, String host, Access access, Instant now) {
    return p.decide(ip(client), host, access == Access.HTTP ? 80 : 443, access, now, p.config().timetable().stateAt(now));
  }

  private static Decision tls(Policy p, String client, String host, Instant now) {
    return decide(p, client, host, Access.TLS, now);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"www.google.co.uk", "google.co.uk", "www.google.com", "google.com", "www.google.de",
      "www.google.com.au", "google.cat"})
  void aPupilsGoogleSearchGoesToGooglesSafeFrontEnd(String host) {
    Policy p = policy(AdminRules.EMPTY);
    for (Access access : Access.values()) {
      Decision d = decide(p, PUPIL, host, access, LESSON);
      assertTrue(d.allowed(), d::toString);
      assertEquals(GOOGLE, d.reroute(), access + " " + host);
      assertEquals("forcesafesearch.google.com", d.upstreamHost(host));
      assertNull(d.rule(), "the rule is still what allowed it: none");
      assertEquals("no rule matches this site", d.reason());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mail.google.com", "docs.google.com", "classroom.google.com", "accounts.google.com",
      "images.google.co.uk", "www.google.co.uk.example.org", "google.example", "www.googl.com", "forcesafesearch.google.com",
      "example.org"})
  void otherHostsAreNeverRerouted(String host) {
    Decision d = tls(policy(AdminRules.EMPTY), PUPIL, host, LESSON);
    assertTrue(d.allowed(), d::toString);
    assertNull(d.reroute(), d::toString);
    assertEquals(host, d.upstreamHost(host));
  }

  @Test
  void bingAndDuckDuckGoGoToTheirStrictFrontEnds() {
    Policy p = policy(AdminRules.EMPTY);
    for (String host : List.of("www.bing.com", "bing.com", "cn.bing.com", "www2.bing.com", "edgeservices.bing.com")) {
      assertEquals(new Reroute("strict.bing.com", "Bing", "safe search enforced (Bing)"), tls(p, PUPIL, host, LESSON).reroute());
    }
    for (String host : List.of("duckduckgo.com", "www.duckduckgo.com", "start.duckduckgo.com", "html.duckduckgo.com",
        "lite.duckduckgo.com")) {
      assertEquals("safe.duckduckgo.com", tls(p, PUPIL, host, LESSON).reroute().frontEnd());
    }
    assertNull(tls(p, PUPIL, "help.duckduckgo.com", LESSON).reroute(), "exact hosts only");
  }

  @Test
  void aGroupWithoutSafeSearchGoesStraightThere() {
    Policy p = policy(AdminRules.EMPTY);
    for (String client : List.of(STAFF, OFFICE, PolicyTest.GUEST)) {
      Decision d = tls(p, client, "www.google.co.uk", LESSON);
      assertTrue(d.allowed());
      assertNull(d.reroute(), client);
    }
  }

  @Test
  void youtubeIsStrictOrModeratePerGroupAndOffForOthers() {
    Instant until = Instant.parse("2026-01-12T15:00:00Z");
    CurriculumOverride film = new CurriculumOverride(3, "pupils", null, Set.of(), Set.of("youtube.com"), until, "film club");
    Policy p = policy(new AdminRules(List.of(), List.of(), List.of(film), Set.of()));
    for (String host : List.of("www.youtube.com", "m.youtube.com", "youtubei.googleapis.com", "youtube.googleapis.com",
        "www.youtube-nocookie.com")) {
      Decision pupil = tls(p, PUPIL, host, LESSON);
      assertTrue(pupil.allowed(), pupil::toString);
      assertEquals(YOUTUBE_STRICT, pupil.reroute(), host);
      assertEquals(YOUTUBE_MODERATE, tls(p, STAFF, host, BREAK).reroute(), host);
      assertNull(tls(p, OFFICE, host, LESSON).reroute(), host);
    }
    assertNull(tls(p, PUPIL, "music.youtube.com", LESSON).reroute(), "not one of YouTube's listed hosts");
    assertEquals("override#3:youtube.com", tls(p, PUPIL, "www.youtube.com", LESSON).rule(), "an override's allow is rerouted too");
  }

  @Test
  void aBlockedCategoryStaysBlockedAndIsNeverRerouted() {
    Policy p = policy(AdminRules.EMPTY);
    Decision pupil = tls(p, PUPIL, "www.youtube.com", LESSON);
    assertFalse(pupil.allowed());
    assertEquals("media-sharing", pupil.category());
    assertNull(pupil.reroute());
    Decision staffInLesson = tls(p, STAFF, "www.youtube.com", LESSON);
    assertFalse(staffInLesson.allowed());
    assertNull(staffInLesson.reroute());

    Policy googleListed = new Policy(config, PolicyTest.lists(Map.of("forums", List.of("google.co.uk"))), AdminRules.EMPTY);
    Decision listed = tls(googleListed, PUPIL, "www.google.co.uk", LESSON);
    assertFalse(listed.allowed());
    assertNull(listed.reroute());
    Policy reported = policy(new AdminRules(List.of("bing.com"), List.of(), List.of(), Set.of()));
    assertEquals("reported", tls(reported, PUPIL, "www.bing.com", LESSON).category());
    assertNull(tls(reported, PUPIL, "www.bing.com", LESSON).reroute());
  }

  @Test
  void anApprovedUnblockOrAnAllowEntryIsReroutedToo() throws Exception {
    Policy unblocked = policy(new AdminRules(List.of(), List.of("youtube.com"), List.of(), Set.of()));
    Decision d = tls(unblocked, PUPIL, "www.youtube.com", LESSON);
    assertEquals("unblock:youtube.com", d.rule());
    assertEquals(YOUTUBE_STRICT, d.reroute());

    config = PolicyTest.load(dir, YAML.replace("allow: [classroom.google.com]", "allow: [classroom.google.com, www.google.co.uk]"))
        .policy();
    Decision allowed = tls(policy(AdminRules.EMPTY), PUPIL, "www.google.co.uk", LESSON);
    assertEquals("allow:www.google.co.uk", allowed.rule());
    assertEquals(GOOGLE, allowed.reroute());
  }

  @Test
  void aDeviceUnderLockdownIsRefusedNotRerouted() {
    Policy p = policy(AdminRules.EMPTY.withLockdown(Set.of(ip(PUPIL))));
    Decision d = tls(p, PUPIL, "www.google.co.uk", LESSON);
    assertEquals("supervision", d.category());
    assertNull(d.reroute());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"10.40.0.9, example.org", "10.20.1.1, www.google.co.uk", "10.10.1.1, example.org", "10.10.1.1, 142.250.1.1"})
  void whatIsNotReroutedIsTheSharedNoRuleDecisionAllocatedOnce(String client, String host) {
    Policy p = policy(AdminRules.EMPTY);
    assertSame(decide(p, client, host, Access.HTTP, LESSON), decide(p, client, host, Access.HTTP, LESSON),
        "the common case allocates no decision");
  }
}
