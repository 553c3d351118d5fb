package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.config.Config;

/**
 * A subscription's exceptions (SPEC 13, its {@code allow} source categories) against the
 * category lists, on PolicyTest's groups: the longest entry of the host decides, block or
 * exception (walking from the full host upwards, the first entry met decides); an exception
 * never lifts an admin's block or the circumvention list.
 */
class ListExceptionsTest {
  private static final int SOCIAL = PolicyTest.CATEGORIES.indexOf("social");
  private static final int CIRCUMVENTION = PolicyTest.CATEGORIES.indexOf("circumvention");

  @TempDir
  Path dir;

  private Config config;

  @BeforeEach
  void loadConfig() throws Exception {
    config = PolicyTest.load(dir, PolicyTest.YAML);
  }

  private Policy policy(CategoryLists lists, AdminRules admin) {
    return new Policy(config.policy(), lists, admin);
  }

  private static Decision pupil(Policy p, String host) {
    Instant now = PolicyTest.LESSON;
    return p.decide(PolicyTest.ip(PolicyTest.PUPIL), host, 443, Access.CONNECT, now, p.config().timetable().stateAt(now));
  }

  @Test
  void anExceptionCarvesASubdomainOutOfADomainTheListBlocks() {
    CategoryLists lists = new CategoryLists.Builder(PolicyTest.CATEGORIES)
        .add("blocked.example", SOCIAL).addException("edu.blocked.example").build();
    Policy p = policy(lists, AdminRules.EMPTY);

    assertTrue(pupil(p, "edu.blocked.example").allowed(), () -> "blocked: " + pupil(p, "edu.blocked.example"));
    assertTrue(pupil(p, "www.edu.blocked.example").allowed());
    Decision parent = pupil(p, "blocked.example");
    assertFalse(parent.allowed());
    assertEquals("social", parent.category());
    assertFalse(pupil(p, "www.blocked.example").allowed());
    assertFalse(pupil(p, "notedu.blocked.example").allowed());
  }

  @Test
  void aLongerBlockUnderAnExceptionStillBlocks() {
    CategoryLists lists = new CategoryLists.Builder(PolicyTest.CATEGORIES)
        .add("blocked.example", SOCIAL).addException("edu.blocked.example").add("chat.edu.blocked.example", SOCIAL).build();
    Policy p = policy(lists, AdminRules.EMPTY);

    assertTrue(pupil(p, "edu.blocked.example").allowed());
    Decision d = pupil(p, "x.chat.edu.blocked.example");
    assertFalse(d.allowed());
    assertEquals("social:chat.edu.blocked.example", d.rule());
  }

  @Test
  void anExceptionOnTheListedDomainItselfWins() {
    CategoryLists lists = new CategoryLists.Builder(PolicyTest.CATEGORIES)
        .add("both.example", SOCIAL).addException("both.example").build();

    assertTrue(pupil(policy(lists, AdminRules.EMPTY), "www.both.example").allowed());
  }

  @Test
  void anExceptionNeverLiftsAnAdminBlockOrTheCircumventionList() {
    CategoryLists lists = new CategoryLists.Builder(PolicyTest.CATEGORIES)
        .add("blocked.example", SOCIAL).addException("edu.blocked.example")
        .add("vpn.example", CIRCUMVENTION).addException("edu.vpn.example").build();
    Policy reported = policy(lists, new AdminRules(List.of("blocked.example"), List.of(), List.of(), Set.of()));

    assertFalse(pupil(reported, "edu.blocked.example").allowed(), "an admin's block stands");
    Decision vpn = pupil(policy(lists, AdminRules.EMPTY), "edu.vpn.example");
    assertFalse(vpn.allowed());
    assertEquals("circumvention", vpn.category());
  }
}
