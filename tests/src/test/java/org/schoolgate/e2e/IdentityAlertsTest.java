package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.AlertsConfig;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.RadClient;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.testing.Await;
import org.schoolgate.testing.SmtpServer;

/**
 * The "pupil blocked" category alert (SPEC 11) follows who is on the device (SPEC 15), not only
 * its network: a teacher signed in by RADIUS accounting on a pupils' network address, blocked in
 * an alert category in a lesson, is staff and raises no alert; a pupil beside them does, and so
 * does a pupil signed in on a staff network address.
 */
class IdentityAlertsTest {
  static final String SECRET = "school-radius-secret";
  static final String TEACHER = "J.Smith@staff.mellers.sch.uk";

  @TempDir
  static Path dir;
  static SmtpServer smtp;
  static UpstreamServer web;
  static ProxyHarness gate;
  static AdminClient head;

  @BeforeAll
  static void start() throws Exception {
    RadClient.require();
    smtp = new SmtpServer("filter", "s3cret").up();
    web = UpstreamServer.http();
    Files.writeString(dir.resolve("smtp.pass"), "s3cret\n");
    gate = new ProxyHarness(dir, web.port(), 443, y -> y + AlertsConfig.section(smtp.port(), null)
        + RadiusAccountingTest.IDENTITY, Duration.ofSeconds(10), config -> {
          Files.writeString(config.resolveSibling("radius.secret"), SECRET + "\n");
          Users.add(config, "head", "head");
        }, smtp.clientTls());
    head = gate.admin(VlanClient.STAFF, "head");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gate != null) {
      gate.close();
    }
    if (web != null) {
      web.close();
    }
    if (smtp != null) {
      smtp.close();
    }
  }

  static JsonNode alertAbout(String device) throws IOException {
    for (JsonNode a : head.get("/api/alerts").json()) {
      if (device.equals(a.path("device").asText()) && "category".equals(a.get("kind").asText())) {
        return a;
      }
    }
    return null;
  }

  static int facebook(String source) throws IOException {
    try (VlanClient c = gate.client(source)) {
      return c.get("http://www.facebook.com:" + web.port() + "/").status();
    }
  }

  @Test
  void aTeacherSignedInOnAPupilsAddressBlockedInAnAlertCategoryRaisesNoPupilAlert() throws Exception {
    gate.clock.setLondon(ProxyHarness.MONDAY + "T11:00"); // a lesson: social media blocked for staff too
    String teacher = "127.0.10.81";
    String pupil = "127.0.10.82";
    RadClient.Result start = RadClient.acct(gate.server.address("radius"), SECRET, "127.0.0.1",
        RadClient.session("Start", TEACHER, teacher, "s-81"));
    assertTrue(start.answered(), start.output());
    assertEquals(403, facebook(teacher));
    AccessRecord line = gate.events.awaitAccess("the teacher's block", a -> a.client().equals(teacher));
    assertEquals("staff", line.group(), "the policy already treats the teacher as staff");
    // The pupil's block is raised after the teacher's on the same thread: once it is there, the teacher's was seen.
    assertEquals(403, facebook(pupil));
    Await.until("the pupil's category alert", () -> {
      try {
        return alertAbout(pupil) != null;
      } catch (IOException e) {
        return false;
      }
    });
    JsonNode teachers = alertAbout(teacher);
    assertNull(teachers, () -> "a signed-in teacher is not a pupil: " + teachers);
  }

  @Test
  void aPupilSignedInOnAStaffAddressIsAPupilForTheAlert() throws Exception {
    gate.clock.setLondon(ProxyHarness.MONDAY + "T11:00");
    String device = "127.0.20.83";
    RadClient.Result start = RadClient.acct(gate.server.address("radius"), SECRET, "127.0.0.1",
        RadClient.session("Start", "a.pupil@mellers.sch.uk", device, "s-83"));
    assertTrue(start.answered(), start.output());
    assertEquals(403, facebook(device));
    JsonNode alert = Await.value("the pupil's category alert", () -> {
      try {
        return alertAbout(device);
      } catch (IOException e) {
        return null;
      }
    });
    assertEquals("pupils", alert.get("group").asText());
    assertTrue(alert.get("what").asText().contains("signed in as a.pupil@mellers.sch.uk"), alert::toString);
  }
}
