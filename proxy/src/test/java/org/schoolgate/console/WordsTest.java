package org.schoolgate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The system's codes in a headteacher's words (issue 24.4). */
class WordsTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final Instant NOW = Instant.parse("2026-12-07T15:00:00Z");

  @Test
  void timesAreSaidInTheSchoolsZoneWithTheYearOnlyWhenItIsAnotherOne() {
    assertEquals("Monday 7 December, 14:05", Words.when("2026-12-07T14:05:00+00:00", LONDON, NOW));
    assertEquals("Monday 7 December, 14:05", Words.when("2026-12-07T15:05:00+01:00", LONDON, NOW));
    assertEquals("Wednesday 1 July, 09:30", Words.when("2026-07-01T09:30:00+01:00", LONDON, NOW));
    assertEquals("Friday 5 December 2025, 10:00", Words.when("2025-12-05T10:00:00Z", LONDON, NOW));
    assertEquals("not a time", Words.when("not a time", LONDON, NOW));
  }

  @Test
  void auditLinesAreSaidInWords() {
    assertEquals("Agreed with a report and blocked the site", Words.action("approve-report-block"));
    assertEquals("Released a device from supervision", Words.action("release-supervision"));
    assertEquals("Added a staff account", Words.action("user-add"));
    assertEquals("Something new", Words.action("something-new"));
    assertEquals("the command line (root)", Words.actor("cli:root"));
    assertEquals("head", Words.actor("head"));
    assertEquals("as network manager", Words.reason("role netmgr"));
    assertEquals("lesson allowance 12", Words.target("override 12"));
  }

  @Test
  void attemptsAndTheirDetailsAreSaidInWords() {
    assertEquals("a site by its number (IP address)", Words.attempt("ip-literal"));
    assertEquals("a secure connection with no site name", Words.attempt("no-sni"));
    assertEquals("a hidden site name (Encrypted Client Hello)", Words.attempt("ech"));
    assertEquals("a site by its number (IP address); a tunnel to an unusual port",
        Words.attempts(List.of("ip-literal", "connect-port")));
    assertEquals("5 attempts within 10 minutes; learning sites only", Words.detail("5 attempts within 10m; mode lockdown"));
    assertEquals("put under supervision (learning sites only) after 5 attempts to get round the filter within 10 minutes;"
            + " the last: a site by its number (IP address) to 10.1.2.5",
        Words.detail("put under supervision (lockdown) after 5 attempts to get round the filter within 10m; the last: ip-literal"
            + " to 10.1.2.5"));
    assertEquals("facebook.com is on the list of social networking", Words.detail("social:facebook.com"));
    assertEquals("via translate.goog", Words.detail("via translate.goog"));
  }

  @Test
  void whyAVisitWasBlocked() {
    assertEquals("on the list of social networking", Words.why("social", "social:www.facebook.com", "www.facebook.com"));
    assertEquals("on the list of social networking (as part of facebook.com)",
        Words.why("social", "social:facebook.com", "www.facebook.com"));
    assertEquals("the school blocked this site", Words.why("reported", "reported:casino.test", "casino.test"));
  }
}
