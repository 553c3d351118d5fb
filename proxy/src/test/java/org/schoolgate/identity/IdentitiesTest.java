package org.schoolgate.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.policy.AdminRules;
import org.schoolgate.policy.Policy;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.policy.CategoryLists;
import org.schoolgate.store.SqliteStore;
import org.schoolgate.store.Store;
import org.schoolgate.testing.FakeClock;

/**
 * Accounting requests change who is on which address, in the store and in the policy, by the
 * rules of SPEC 15 (a Stop of another session, a newer Start, Accounting-On, session_max on the
 * test's clock, a restart).
 */
class IdentitiesTest {
  static final String YAML = """
      timezone: Europe/London
      listen:
        proxy: 127.0.0.1:0
      networks:
        pupils: [10.10.0.0/16]
        staff: [10.20.0.0/16]
      default_group: pupils
      timetable:
        days: [MON, TUE, WED, THU, FRI]
        school_day: "08:45-15:15"
        breaks: ["10:30-10:45"]
      groups:
        pupils:
          block: [circumvention]
        staff:
          block: [circumvention]
      blocklists: blocklists/
      data_dir: data/
      log_dir: logs/
      log_retention_days: 90
      identity:
        radius_accounting:
          listen: 127.0.0.1:0
          clients: [127.0.0.0/8]
          secret_file: radius.secret
        users:
          - {match: "*@staff.example", group: staff}
        session_max: 2h
      """;
  static final InetAddress PUPIL_DEVICE = RadiusPacketTest.address("10.10.0.5");

  @TempDir
  Path dir;
  final FakeClock clock = new FakeClock(Instant.parse("2026-01-12T09:00:00Z"));
  Config config;
  PolicyEngine engine;
  Store store;
  Identities identities;

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(dir.resolve("blocklists"));
    Files.writeString(dir.resolve("blocklists/circumvention.txt"), "vpn.example\n");
    Files.writeString(dir.resolve("radius.secret"), "testing123\n");
    Files.writeString(dir.resolve("schoolgate.yaml"), YAML);
    config = ConfigLoader.load(dir.resolve("schoolgate.yaml"));
    store = SqliteStore.open(dir.resolve("data"), "site-a");
    identities = open();
  }

  /** A gateway's view: a fresh policy, then the mappings from the store (as at a start). */
  private Identities open() throws Exception {
    CategoryLists lists = org.schoolgate.blocklist.Blocklists.load(config.blocklists(), List.of("circumvention")).lists();
    engine = new PolicyEngine(new Policy(config.policy(), lists, AdminRules.EMPTY), clock);
    Identities i = new Identities(store, engine, new UserRules(config.identity().users()), config.identity().sessionMax(),
        clock, config.timezone());
    i.refresh().join();
    return i;
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void send(int status, String user, String session) {
    send(status, user, session, "10.0.0.2");
  }

  private void send(int status, String user, String session, String nas) {
    identities.apply(new Accounting(status, user, PUPIL_DEVICE, null, session, nas)).join();
  }

  private String group() {
    return engine.policy().groupOf(PUPIL_DEVICE);
  }

  private String user() {
    return engine.policy().identities().user(PUPIL_DEVICE);
  }

  @Test
  void aStaffUserOnAPupilsAddressIsStaffUntilTheirStop() {
    assertEquals("pupils", group());
    send(Accounting.START, "Jo@Staff.Example", "s1");
    assertEquals("staff", group());
    assertEquals("Jo@Staff.Example", user());
    send(Accounting.STOP, "Jo@Staff.Example", "s0");
    assertEquals("staff", group(), "a Stop of another session leaves the mapping");
    send(Accounting.STOP, "Jo@Staff.Example", "s1");
    assertEquals("pupils", group());
    assertNull(user());
  }

  @Test
  void aNewerStartReplacesAndALateInterimOfTheOlderSessionDoesNotTakeItBack() {
    send(Accounting.START, "jo@staff.example", "s1");
    send(Accounting.START, "ann@pupils.example", "s2");
    assertEquals("ann@pupils.example", user());
    assertEquals("pupils", group(), "a user no rule matches keeps the network's group");
    send(Accounting.INTERIM, "jo@staff.example", "s1");
    assertEquals("ann@pupils.example", user());
    send(Accounting.STOP, "jo@staff.example", "s1");
    assertEquals("ann@pupils.example", user(), "a late Stop of the older session leaves the newer one");
  }

  @Test
  void accountingOnEndsEveryMappingOfThatEquipmentOnly() {
    send(Accounting.START, "jo@staff.example", "s1", "10.0.0.2");
    InetAddress other = RadiusPacketTest.address("10.10.0.6");
    identities.apply(new Accounting(Accounting.START, "sam@staff.example", other, null, "s9", "10.0.0.3")).join();
    send(Accounting.ON, null, null, "10.0.0.2");
    assertNull(user());
    assertEquals("sam@staff.example", engine.policy().identities().user(other));
    identities.apply(new Accounting(Accounting.OFF, null, null, null, null, "10.0.0.3")).join();
    assertNull(engine.policy().identities().user(other));
  }

  @Test
  void aMappingWithoutAnUpdateForSessionMaxEndsByTheClock() {
    send(Accounting.START, "jo@staff.example", "s1");
    clock.advance(Duration.ofMinutes(90));
    send(Accounting.INTERIM, "jo@staff.example", "s1");
    clock.advance(Duration.ofMinutes(119));
    identities.expire().join();
    assertEquals("staff", group(), "updated 119 minutes ago: still in force");
    clock.advance(Duration.ofMinutes(2));
    identities.expire().join();
    assertEquals("pupils", group());
  }

  @Test
  void mappingsSurviveARestart() throws Exception {
    send(Accounting.START, "jo@staff.example", "s1");
    store.close();
    store = SqliteStore.open(dir.resolve("data"), "site-a");
    identities = open();
    assertEquals("staff", group());
    assertEquals("jo@staff.example", user());
  }
}
