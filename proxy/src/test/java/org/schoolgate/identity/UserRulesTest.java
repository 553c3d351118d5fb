package org.schoolgate.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.schoolgate.config.Config;

/** {@code identity.users}: exact, {@code *@domain}, {@code prefix*}; case-insensitive; first match wins. */
class UserRulesTest {
  final UserRules rules = new UserRules(List.of(
      new Config.UserRule("head@mellers.sch.uk", "office"),
      new Config.UserRule("*@staff.mellers.sch.uk", "staff"),
      new Config.UserRule("*@mellers.sch.uk", "pupils"),
      new Config.UserRule("guest-*", "guests")));

  @Test
  void firstMatchWins() {
    assertEquals("office", rules.groupOf("head@mellers.sch.uk"), "the exact rule comes before *@mellers.sch.uk");
    assertEquals("staff", rules.groupOf("j.smith@staff.mellers.sch.uk"));
    assertEquals("pupils", rules.groupOf("y5.ann@mellers.sch.uk"));
    assertEquals("guests", rules.groupOf("guest-0042"));
  }

  @Test
  void namesMatchWhateverTheirCase() {
    assertEquals("staff", rules.groupOf("J.Smith@STAFF.Mellers.sch.uk"));
    assertEquals("office", rules.groupOf("HEAD@mellers.sch.uk"));
    assertEquals("guests", rules.groupOf("Guest-7"));
  }

  @Test
  void aDomainRuleMatchesThatDomainExactlyNotItsSubdomainsNorLookalikes() {
    assertNull(rules.groupOf("x@evil.staff.mellers.sch.uk.example"));
    assertEquals("pupils", rules.groupOf("x@mellers.sch.uk"));
    assertNull(rules.groupOf("x@sub.mellers.sch.uk.other"), "not a suffix match");
    UserRules staffOnly = new UserRules(List.of(new Config.UserRule("*@staff.mellers.sch.uk", "staff")));
    assertNull(staffOnly.groupOf("x@it.staff.mellers.sch.uk"), "a subdomain is another domain");
    assertNull(staffOnly.groupOf("x@notstaff.mellers.sch.uk"));
  }

  @Test
  void noRuleOrNoNameGivesNoGroup() {
    assertNull(rules.groupOf("someone@elsewhere.org"));
    assertNull(rules.groupOf("head@mellers.sch.uk.evil"));
    assertNull(rules.groupOf(null));
  }
}
