package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.schoolgate.values.Timetable;
import org.schoolgate.values.Timetable.Period;

/** Pins every field of every kind of decision: logs, block pages and the admin's explain view show these words. */
class DecisionsTest {
  static final Instant T = Instant.parse("2026-01-12T09:00:00Z");
  static final Instant BREAK = Instant.parse("2026-01-12T10:30:00Z");
  static final Timetable.State LESSON = new Timetable.State(Period.LESSON, T, BREAK);

  @Test
  void noRule() {
    assertEquals(new Decision(true, "pupils", null, null, "no rule matches this site", Period.BREAK, null, null, null, null),
        Decisions.noRule("pupils", Period.BREAK));
  }

  private static final CurriculumOverride LESSON_7 = new CurriculumOverride(7, "pupils", null, java.util.Set.of("social"),
      java.util.Set.of(), java.time.Instant.parse("2026-11-23T12:00:00Z"), "history");

  @Test
  void allowedByEachKind() {
    assertEquals(new Decision(true, "pupils", null, "allow:classroom.google.com", "allowed by the school-wide allow list",
        Period.LESSON, null, null, null, null), Decisions.allowedBy("pupils", AllowKind.ALLOW_LIST, "classroom.google.com", Period.LESSON));
    assertEquals(new Decision(true, "pupils", null, "unblock:reddit.com", "allowed by an approved unblock request",
        Period.LESSON, null, null, null, null), Decisions.allowedBy("pupils", AllowKind.UNBLOCK, "reddit.com", Period.LESSON));
    assertEquals(new Decision(true, "pupils", null, "override#7:youtube.com", "allowed by a lesson allowance",
        Period.LESSON, null, null, null, null, LESSON_7), Decisions.allowedByOverride("pupils", LESSON_7, null, "youtube.com", Period.LESSON));
    assertEquals(new Decision(true, "pupils", "social", "override#7:facebook.com", "allowed by a lesson allowance",
        Period.LESSON, null, null, null, null, LESSON_7), Decisions.allowedByOverride("pupils", LESSON_7, "social", "facebook.com", Period.LESSON));
  }

  @Test
  void reportedAndListed() {
    assertEquals(new Decision(false, "staff", "reported", "reported:example.com", "the headteacher has blocked this site",
        Period.LESSON, null, null, null, null), Decisions.reported("staff", "example.com", Period.LESSON));
    assertEquals(new Decision(false, "pupils", "social", "social:facebook.com", "social sites are blocked for pupils",
        Period.LESSON, null, null, null, null), Decisions.listed("pupils", "social", "facebook.com", false, LESSON, null));
    assertEquals(new Decision(false, "staff", "social", "social:facebook.com", "social sites are blocked for staff in lessons",
        Period.LESSON, BREAK, null, null, null), Decisions.listed("staff", "social", "facebook.com", true, LESSON, null));
    assertEquals(new Decision(false, "pupils", "circumvention", "circumvention:proxysite.com",
        "circumvention sites are blocked for pupils", Period.LESSON, null, CircumventionKind.CIRCUMVENTION_SITE, null, null),
        Decisions.listed("pupils", "circumvention", "proxysite.com", false, LESSON, CircumventionKind.CIRCUMVENTION_SITE));
  }

  @Test
  void circumventionSupervisionAndTranslate() {
    assertEquals(new Decision(false, "pupils", "circumvention", "connect-port:22", "tunnels to port 22 are not allowed",
        Period.LESSON, null, CircumventionKind.CONNECT_PORT, null, null),
        Decisions.circumvention("pupils", CircumventionKind.CONNECT_PORT, "connect-port:22", "tunnels to port 22 are not allowed",
            Period.LESSON, null));
    assertEquals(new Decision(false, "pupils", "supervision", "supervision:lockdown",
        "this device is under supervision and can only reach the listed learning sites", Period.OUTSIDE, null, null, null, null),
        Decisions.supervision("pupils", Period.OUTSIDE));
    Decision social = Decisions.listed("staff", "social", "facebook.com", true, LESSON, null);
    assertEquals(new Decision(false, "staff", "social", "social:facebook.com",
        "social sites are blocked for staff in lessons (reached through Google Translate)", Period.LESSON, BREAK, null,
        "facebook.com via translate.goog", null), Decisions.throughTranslate(social, "facebook.com", false));
    assertEquals(new Decision(false, "staff", "circumvention", "social:facebook.com",
        "social sites are blocked for staff in lessons (reached through Google Translate)", Period.LESSON, BREAK,
        CircumventionKind.CIRCUMVENTION_SITE, "facebook.com via translate.goog", null),
        Decisions.throughTranslate(social, "facebook.com", true));
  }

  @Test
  void reroutedKeepsWhatAllowedItAndAddsTheFrontEnd() {
    Reroute google = new Reroute("forcesafesearch.google.com", "Google", "safe search enforced (Google)");
    Decision allowed = Decisions.allowedByOverride("pupils", LESSON_7, null, "google.co.uk", Period.LESSON);
    assertEquals(new Decision(true, "pupils", null, "override#7:google.co.uk", "allowed by a lesson allowance",
        Period.LESSON, null, null, null, google, LESSON_7), Decisions.rerouted(allowed, google));
    assertEquals("forcesafesearch.google.com", Decisions.rerouted(allowed, google).upstreamHost("www.google.co.uk"));
    assertEquals("www.google.co.uk", allowed.upstreamHost("www.google.co.uk"));
  }

  @Test
  void undecidableAndSelf() {
    assertEquals(new Decision(true, "staff", null, null, "no server name", Period.BREAK, null, null, "no server name", null),
        Decisions.undecidableAllowed("staff", "no server name", Period.BREAK));
    Decision allowed = Decisions.noRule("staff", Period.LESSON);
    assertEquals(new Decision(false, "staff", "self", "self:127.0.0.1", "names the proxy", Period.LESSON, null, null, null, null),
        Decisions.self(allowed, "127.0.0.1", "names the proxy"));
  }
}
