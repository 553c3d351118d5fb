package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.AlertsConfig;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.SmtpServer;
import org.schoolgate.testing.WebhookReceiver;

/**
 * Safeguarding alerts end to end (SPEC 11): a real proxy, a real SMTP server on loopback that
 * insists on STARTTLS and AUTH, and a real webhook receiver. Supervision, a filed report and a
 * pupil blocked in an alert category each reach the safeguarding lead, with the device's name.
 */
class SafeguardingTest {
  @TempDir
  static Path dir;
  static SmtpServer smtp;
  static WebhookReceiver webhook;
  static UpstreamServer web;
  static ProxyHarness gate;
  static AdminClient head;

  @BeforeAll
  static void start() throws Exception {
    smtp = new SmtpServer("filter", "s3cret").up();
    webhook = new WebhookReceiver();
    web = UpstreamServer.http();
    Files.writeString(dir.resolve("smtp.pass"), "s3cret\n");
    gate = new ProxyHarness(dir, web.port(), 443, y -> y + AlertsConfig.section(smtp.port(), webhook.url().toString()),
        Duration.ofSeconds(10), config -> {
          Users.add(config, "head", "head");
          Users.add(config, "teacher", "staff");
        }, smtp.clientTls());
    head = gate.admin(VlanClient.STAFF, "head");
  }

  @AfterAll
  static void stop() throws Exception {
    gate.close();
    web.close();
    smtp.close();
    webhook.close();
  }

  static List<SmtpServer.Mail> mailsAbout(String text) {
    return smtp.received().stream().filter(m -> m.data().contains(text)).toList();
  }

  static JsonNode alertAbout(String device, String kind) throws IOException {
    for (JsonNode a : head.get("/api/alerts").json()) {
      if (device.equals(a.path("device").asText()) && kind.equals(a.get("kind").asText())) {
        return a;
      }
    }
    return null;
  }

  @Test
  void aDeviceLockedDownForGettingRoundTheFilterIsOneEmailWithItsNameTimeAndWhatWasTried() throws Exception {
    String pupil = "127.0.10.140";
    AdminClient.Reply named = head.call("PUT", "/api/devices/" + pupil + "/name", "{\"name\": \"Y5 iPad 12\"}");
    assertEquals(200, named.status(), named.body());
    // A device, host and kind make one attempt a minute: five attempts, a minute apart, the fifth at 11:00
    gate.clock.setLondon(ProxyHarness.MONDAY + "T10:56");
    for (int i = 0; i < 5; i++) {
      if (i > 0) {
        gate.clock.advance(Duration.ofMinutes(1));
      }
      try (VlanClient c = gate.client(pupil)) {
        assertEquals(403, c.send("CONNECT example.org:22 HTTP/1.1\r\nHost: example.org:22\r\n\r\n").status());
      }
    }
    SmtpServer.Mail mail = Await.value("the supervision email", () -> {
      List<SmtpServer.Mail> m = mailsAbout("Y5 iPad 12 (127.0.10.140) was put under supervision");
      return m.isEmpty() ? null : m.get(0);
    });
    assertEquals("filter", mail.user());
    assertTrue(mail.data().contains("Monday 23 November 2026, 11:00 (Europe/London)"), mail::data);
    assertTrue(mail.data().contains("connect-port to example.org"), mail::data);
    assertTrue(mail.data().contains("http://127.0.0.1:" + gate.admin().getPort() + "/alerts"), mail::data);
    JsonNode alert = Await.value("the alert delivered", () -> {
      try {
        JsonNode a = alertAbout(pupil, "supervised");
        return a != null && a.get("state").asText().equals("delivered") ? a : null;
      } catch (IOException e) {
        return null;
      }
    });
    assertEquals(alert.get("id").asText(), mail.header("X-Schoolgate-Alert"));
    assertEquals("Y5 iPad 12", alert.get("name").asText());
    assertEquals(1, mailsAbout(pupil).size(), "one email for the lockdown");
    assertTrue(webhook.bodies().stream().anyMatch(b -> b.contains(alert.get("id").asText())), webhook.bodies()::toString);
    List<String> events = gate.logLines("events.jsonl", 6);
    assertTrue(events.stream().filter(l -> l.contains(pupil)).allMatch(l -> l.contains("\"name\":\"Y5 iPad 12\"")),
        events::toString);
    JsonNode decision = head.get("/api/decision?client=" + pupil + "&host=www.bbc.co.uk").json();
    assertEquals("Y5 iPad 12", decision.get("name").asText());
  }

  @Test
  void aPupilBlockedTwiceInAnAlertCategoryIsOneAlertCountingBoth() throws Exception {
    String pupil = "127.0.10.141";
    for (int i = 0; i < 2; i++) {
      try (VlanClient c = gate.client(pupil)) {
        assertEquals(403, c.get("http://www.facebook.com:" + web.port() + "/").status());
      }
    }
    JsonNode alert = Await.value("the category alert, folded", () -> {
      try {
        JsonNode a = alertAbout(pupil, "category");
        return a != null && a.get("count").asInt() == 2 && a.get("state").asText().equals("delivered") ? a : null;
      } catch (IOException e) {
        return null;
      }
    });
    assertTrue(alert.get("what").asText().contains("www.facebook.com"), alert::toString);
    assertTrue(alert.get("ref").asText().length() > 0, alert::toString);
    assertEquals(1, mailsAbout(alert.get("id").asText()).size());
    // a member of staff blocked in the same category (in lessons) is not a pupil: no alert
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      assertEquals(403, c.get("http://www.facebook.com:" + web.port() + "/").status());
    }
    try (VlanClient c = gate.client(pupil)) { // something after it, so the staff block has been seen
      c.get("http://www.facebook.com:" + web.port() + "/");
    }
    Await.until("the pupil's third block counted", () -> {
      try {
        return alertAbout(pupil, "category").get("count").asInt() == 3;
      } catch (IOException e) {
        return false;
      }
    });
    assertEquals(null, alertAbout(VlanClient.STAFF, "category"));
  }

  @Test
  void aFiledReportIsAnAlertAndStaffCannotSeeAlertsOrNameDevices() throws Exception {
    AdminClient teacher = gate.admin(VlanClient.STAFF, "teacher");
    AdminClient.Reply filed = teacher.post("/api/reports",
        "{\"url\": \"https://www.example.org/bad\", \"kind\": \"inappropriate\", \"note\": \"upsetting images\"}");
    assertEquals(201, filed.status(), filed.body());
    long id = filed.json().get("id").asLong();
    Await.until("the report email", () -> !mailsAbout("(report " + id + ")").isEmpty());
    assertTrue(mailsAbout("(report " + id + ")").get(0).data().contains("teacher reported https://www.example.org/bad"));
    assertEquals(403, teacher.get("/api/alerts").status());
    assertEquals(403, teacher.call("PUT", "/api/devices/127.0.10.9/name", "{\"name\": \"x\"}").status());
    assertEquals(400, head.call("PUT", "/api/devices/not-a-device/name", "{\"name\": \"x\"}").status());
    assertEquals(400, head.call("PUT", "/api/devices/127.0.10.9/name", "{\"name\": \"\"}").status());
  }
}
