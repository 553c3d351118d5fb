package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * What an alert folds, and what it carries (SPEC 11, issue 20 item 1 and issue 21 item 4), end to
 * end on the real SMTP server and webhook receiver: a repeat is the same device, kind and site
 * (for a report, the same reported host); anything else is an alert of its own with its own text.
 * Whatever a pupil puts in a path, or a teacher in a note, or anyone in a device's name arrives
 * as one inert line: no forged lines in the email, no links, emphasis or mentions in the chat.
 */
class AlertRepeatsTest {
  @TempDir
  static Path dir;
  static SmtpServer smtp;
  static WebhookReceiver webhook;
  static UpstreamServer web;
  static ProxyHarness gate;
  static AdminClient head;
  static AdminClient teacher;

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
    teacher = gate.admin("127.0.20.6", "teacher");
  }

  @AfterAll
  static void stop() throws Exception {
    gate.close();
    web.close();
    smtp.close();
    webhook.close();
  }

  /** The plain-text part of a mail as the lead reads it: quoted-printable soft breaks joined and decoded. */
  static String text(SmtpServer.Mail m) {
    String data = m.data();
    int start = data.indexOf("\r\n\r\n");
    String body = data.substring(start < 0 ? 0 : start + 4).replace("=\r\n", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '=' && i + 2 < body.length() && Character.digit(body.charAt(i + 1), 16) >= 0
          && Character.digit(body.charAt(i + 2), 16) >= 0) {
        out.write(Integer.parseInt(body.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static List<String> mailsContaining(String s) {
    return smtp.received().stream().map(AlertRepeatsTest::text).filter(t -> t.contains(s)).toList();
  }

  static List<JsonNode> hooksContaining(String s) {
    List<JsonNode> out = new ArrayList<>();
    for (String b : webhook.bodies()) {
      try {
        JsonNode n = AdminClient.JSON.readTree(b);
        if (n.toString().contains(s)) {
          out.add(n);
        }
      } catch (IOException e) {
        throw new AssertionError("the webhook was not sent JSON: " + b, e);
      }
    }
    return out;
  }

  static List<JsonNode> alertsOf(String device, String kind) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : head.get("/api/alerts").json()) {
      if (device.equals(a.path("device").asText()) && kind.equals(a.get("kind").asText())) {
        out.add(a);
      }
    }
    return out;
  }

  @Test
  void twoReportsAMinuteApartAboutDifferentSitesAreTwoAlertsEachCarryingItsOwnNote() throws Exception {
    String first = "should be unblocked: a forum for a Year 10 lesson";
    String second = "seen on pupil screens in Y7, has adult adverts: badgames.example";
    assertEquals(201, teacher.post("/api/reports",
        "{\"url\": \"https://forum.example/y10\", \"kind\": \"unblock\", \"note\": \"" + first + "\"}").status());
    gate.clock.advance(Duration.ofMinutes(1));
    AdminClient otherMachine = gate.admin("127.0.20.7", "teacher");
    assertEquals(201, otherMachine.post("/api/reports",
        "{\"url\": \"https://badgames.example/\", \"kind\": \"inappropriate\", \"note\": \"" + second + "\"}").status());
    for (String note : List.of(first, second)) {
      Await.until("an email carrying \"" + note + "\"", () -> !mailsContaining(note).isEmpty());
      Await.until("a webhook post carrying \"" + note + "\"", () -> !hooksContaining(note).isEmpty());
    }
    assertEquals(1, mailsContaining(first).size());
    assertEquals(1, mailsContaining(second).size(), "its own email, not folded into the first");
  }

  @Test
  void aPupilBlockedOnTwoSitesWithinTheDigestIsTwoAlertsAndARepeatOfOneIsCountedWithItsLastTime() throws Exception {
    String pupil = "127.0.10.142";
    for (String site : List.of("www.facebook.com", "m.facebook.com", "www.facebook.com")) {
      try (VlanClient c = gate.client(pupil)) {
        assertEquals(403, c.get("http://" + site + ":" + web.port() + "/").status());
      }
      gate.clock.advance(Duration.ofMinutes(2));
    }
    Await.until("an alert for each site, the first counting its repeat", () -> {
      try {
        List<JsonNode> a = alertsOf(pupil, "category");
        return a.size() == 2 && a.stream().mapToInt(x -> x.get("count").asInt()).sum() == 3;
      } catch (IOException e) {
        return false;
      }
    });
    List<JsonNode> alerts = alertsOf(pupil, "category");
    JsonNode www = alerts.stream().filter(a -> a.get("what").asText().contains("www.facebook.com")).findFirst().orElseThrow();
    JsonNode m = alerts.stream().filter(a -> a.get("what").asText().contains("m.facebook.com")).findFirst().orElseThrow();
    assertEquals(2, www.get("count").asInt(), www::toString);
    assertTrue(www.get("last_ts").asText().compareTo(www.get("ts").asText()) > 0, www::toString);
    assertEquals(1, m.get("count").asInt(), m::toString);
    Await.until("both emailed", () -> !mailsContaining(www.get("id").asText()).isEmpty()
        && !mailsContaining(m.get("id").asText()).isEmpty());
  }

  @Test
  void whatPupilsAndStaffTypeArrivesAsOneInertLineInTheEmailAndTheChat() throws Exception {
    String pupil = "127.0.10.143";
    AdminClient.Reply named = head.call("PUT", "/api/devices/" + pupil + "/name",
        "{\"name\": \"Y5 iPad\\u2028See it in the console: https://evil.example/name\"}");
    assertEquals(200, named.status(), named.body());
    String hostile = "/%3Chttps://evil.example/login|URGENT:%20DSL%20must%20re-authenticate%3E/"
        + "<https://evil.example/raw|Click%20here>/*bold*_it_`code`@channel";
    try (VlanClient c = gate.client(pupil)) {
      assertEquals(403, c.send("GET http://www.facebook.com:" + web.port() + hostile + " HTTP/1.1\r\nHost: www.facebook.com\r\n\r\n")
          .status());
    }
    String note = "upsetting\r\nSee it in the console: https://evil.example/note\r\n<https://evil.example/x|Open> *now* @channel";
    AdminClient.Reply filed = teacher.post("/api/reports", "{\"url\": \"https://www.example.org/hostile\", \"kind\": "
        + "\"inappropriate\", \"note\": " + AdminClient.JSON.writeValueAsString(note) + "}");
    assertEquals(201, filed.status(), filed.body());

    Await.until("both alerts emailed and posted", () -> !mailsContaining(pupil).isEmpty()
        && !mailsContaining("www.example.org/hostile").isEmpty() && !hooksContaining(pupil).isEmpty()
        && !hooksContaining("www.example.org/hostile").isEmpty());
    List<String> mails = new ArrayList<>(mailsContaining(pupil));
    mails.addAll(mailsContaining("www.example.org/hostile"));
    for (String mail : mails) {
      for (String line : mail.split("\r\n|\n|\r|\u2028|\u2029|\u0085")) {
        assertFalse(line.startsWith("See it in the console: https://evil"), () -> "a forged line in the email:\n" + mail);
      }
    }
    List<JsonNode> posts = new ArrayList<>(hooksContaining(pupil));
    posts.addAll(hooksContaining("www.example.org/hostile"));
    for (JsonNode post : posts) {
      String text = post.get("text").asText();
      for (String markup : List.of("<", ">", "|", "*", "`", "_", "@channel", "\n", "\r", "\u2028")) {
        assertFalse(text.contains(markup), () -> "markup " + markup + " in the chat's text: " + text);
      }
      assertTrue(text.length() <= 3_000, () -> "too long: " + text.length());
      for (String field : List.of("what", "name")) {
        String v = post.path(field).asText("");
        assertFalse(v.contains("\n") || v.contains("\r") || v.contains("\u2028"), () -> field + " is not one line: " + v);
      }
    }
  }
}
