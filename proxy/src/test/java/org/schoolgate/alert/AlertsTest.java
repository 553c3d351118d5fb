package org.schoolgate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.config.Config;
import org.schoolgate.store.Rows;
import org.schoolgate.store.SqliteStore;
import org.schoolgate.store.Store;
import org.schoolgate.testing.FakeClock;
import org.schoolgate.testing.SmtpServer;
import org.schoolgate.testing.WebhookReceiver;

/**
 * Alerts over real sockets on loopback: an SMTP server that insists on STARTTLS and AUTH, and an
 * HTTP webhook receiver. Time is the test's clock; the sender is driven by {@link AlertSender#deliverDue}.
 */
class AlertsTest {
  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final AlertSender.Timing TIMING = new AlertSender.Timing(Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofSeconds(40));

  @TempDir
  Path dir;
  final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T09:14:00Z"));
  SmtpServer smtp;
  WebhookReceiver webhook;
  Store store;
  Config.Alerts config;
  Alerts alerts;

  @BeforeEach
  void start() throws Exception {
    smtp = new SmtpServer("filter", "s3cret").up();
    webhook = new WebhookReceiver();
    Files.writeString(dir.resolve("smtp.pass"), "s3cret\n");
    config = new Config.Alerts(List.of("dsl@school.example"), "filter@school.example",
        new Config.Smtp("127.0.0.1", smtp.port(), true, "filter", dir.resolve("smtp.pass")), webhook.url(),
        Set.of("supervised", "report", "category"), Set.of("self-harm"), Duration.ofMinutes(15));
    store = SqliteStore.open(dir.resolve("data"));
    alerts = new Alerts(config, clock, LONDON);
    alerts.consoleUrl("http://127.0.0.1:8088/");
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    smtp.close();
    webhook.close();
  }

  AlertSender sender() throws Exception {
    return new AlertSender(store, alerts, config, LONDON, clock, TIMING, smtp.clientTls());
  }

  Rows.Alert raise(String kind, String device) {
    return store.transaction(ops -> alerts.raise(ops, new Alerts.Occurrence(kind, clock.instant(), device,
        "aa:bb:cc:dd:ee:01", "pupils", "put under supervision after 5 attempts", "R-7"))).join();
  }

  List<Rows.Alert> all() {
    return store.alerts(null, null, 100).join();
  }

  @Test
  void anAlertIsMailedOverStarttlsWithAuthAndPostedToTheWebhookWithItsId() throws Exception {
    store.transaction(ops -> {
      ops.supervision().nameDevice(new Rows.DeviceName("aa:bb:cc:dd:ee:01", "Y5 iPad 12", "head", "2026-11-23T09:00:00Z"));
      return null;
    }).join();
    Rows.Alert a = raise("supervised", "10.10.3.4");
    try (AlertSender sender = sender()) {
      assertEquals(1, sender.deliverDue());
    }
    SmtpServer.Mail mail = smtp.received().get(0);
    assertEquals("filter", mail.user(), "signed in with AUTH, after STARTTLS");
    assertEquals(List.of("dsl@school.example"), mail.to());
    assertEquals("<" + a.uid() + "@schoolgate>", mail.header("Message-ID"));
    assertEquals(a.uid(), mail.header("X-Schoolgate-Alert"));
    assertTrue(mail.header("Subject").contains("Y5 iPad 12 (10.10.3.4) was put under supervision"), mail::data);
    assertTrue(mail.data().contains("Monday 23 November 2026, 09:14 (Europe/London)"), mail::data);
    assertTrue(mail.data().contains("MAC aa:bb:cc:dd:ee:01"), mail::data);
    assertTrue(mail.data().contains("http://127.0.0.1:8088/alerts"), mail::data);
    String json = webhook.bodies().get(0);
    assertTrue(json.contains("\"id\":\"" + a.uid() + "\""), json);
    assertTrue(json.contains("\"name\":\"Y5 iPad 12\""), json);
    assertTrue(json.contains("\"time\":\"2026-11-23T09:14Z\""), json);
    Rows.Alert stored = all().get(0);
    assertEquals("delivered", stored.state());
    assertNotNull(stored.mailedAt());
    assertNotNull(stored.postedAt());
    assertNull(stored.lastError());
  }

  @Test
  void repeatsForOneDeviceAndKindWithinTheDigestAreFoldedAndCounted() throws Exception {
    Rows.Alert first = raise("category", "10.10.3.4");
    clock.advance(Duration.ofMinutes(5));
    raise("category", "10.10.3.4");
    raise("supervised", "10.10.3.4"); // another kind: an alert of its own
    raise("category", "10.10.3.5"); // another device: an alert of its own
    clock.advance(Duration.ofMinutes(9));
    raise("category", "10.10.3.4");
    assertEquals(3, all().size());
    Rows.Alert folded = all().stream().filter(a -> a.uid().equals(first.uid())).findFirst().orElseThrow();
    assertEquals(3, folded.count());
    assertEquals("2026-11-23T09:28:00.000+00:00", folded.lastTs());
    clock.advance(Duration.ofMinutes(1)); // 15 minutes after the first: a new window
    raise("category", "10.10.3.4");
    assertEquals(4, all().size());
    try (AlertSender sender = sender()) {
      assertEquals(4, sender.deliverDue());
    }
    assertEquals(4, smtp.received().size());
    assertTrue(smtp.received().stream().anyMatch(m -> m.data().contains("Repeats: 3 times in all")));
  }

  Rows.Alert blocked(String device, String site) {
    return store.transaction(ops -> alerts.raise(ops, new Alerts.Occurrence("category", clock.instant(), device, null,
        "pupils", "blocked from " + site + "/ (self-harm)", "R-8", site))).join();
  }

  @Test
  void aPupilBlockedOnAnotherSiteWithinTheDigestIsAnotherAlertAndTheSameSiteARepeat() {
    Rows.Alert first = blocked("10.10.3.4", "a.example");
    clock.advance(Duration.ofMinutes(1));
    Rows.Alert other = blocked("10.10.3.4", "b.example");
    blocked("10.10.3.4", "a.example");
    assertTrue(first.id() != other.id(), "another site: an alert of its own");
    assertEquals(2, all().size());
    assertEquals(2, all().stream().filter(a -> a.uid().equals(first.uid())).findFirst().orElseThrow().count());
  }

  @Test
  void pastTenAlertsOfAKindInTenMinutesTheRestAreOneSummaryThatWaitsAMinuteAndNamesThem() throws Exception {
    for (int i = 1; i <= 13; i++) {
      blocked("10.10.3." + i, "a.example");
    }
    List<Rows.Alert> stored = all();
    assertEquals(11, stored.size());
    Rows.Alert summary = stored.get(0);
    assertEquals(3, summary.count());
    assertTrue(summary.what().endsWith("10.10.3.11 at a.example; 10.10.3.12 at a.example; 10.10.3.13 at a.example"),
        summary.what());
    try (AlertSender sender = sender()) {
      sender.deliverDue(); // the first pass after a start tries everything pending
      assertEquals(11, smtp.received().size());
      assertTrue(smtp.received().stream().anyMatch(m -> m.header("Subject").contains("Many pupils' devices")));
      blocked("10.10.3.14", "a.example"); // the summary was sent: a new one gathers
      assertEquals(0, sender.deliverDue());
      clock.advance(Duration.ofSeconds(59));
      assertEquals(0, sender.deliverDue(), "a summary waits a minute, gathering");
      clock.advance(Duration.ofSeconds(1));
      assertEquals(1, sender.deliverDue());
    }
  }

  @Test
  void aSummaryListsUpToItsCapThenCountsTheRest() {
    String what = Flood.HEADER + "x";
    for (int i = 0; i < 200; i++) {
      what = Flood.append(what, "10.10.3." + i + " at a.example");
    }
    assertTrue(what.length() <= Flood.HEADER.length() + Flood.CAP + 20, what);
    int listed = what.split("; ").length; // "x" and the items listed
    assertTrue(what.endsWith(" (and " + (201 - listed) + " more)"), what);
  }

  @Test
  void whatAPupilOrATeacherTypedIsOneInertLineInTheWebhookAndTheEmail() throws Exception {
    String what = "blocked from www.facebook.com" + Inert.path("/<https://evil.example/login|URGENT>/`x`*b*@channel", 200)
        + " note \u201cline\r\nSee it in the console: https://evil.example/\u2028<!channel> [x](https://e.example)\u201d";
    store.transaction(ops -> alerts.raise(ops, new Alerts.Occurrence("category", clock.instant(), "10.10.3.4", null, "pupils",
        what, "R-9", "www.facebook.com"))).join();
    Rows.Alert a = all().get(0);
    String json = WebhookChannel.json(a, LONDON);
    String text = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("text").asText();
    for (String markup : List.of("<", ">", "|", "*", "`", "[", "@channel", "\n", "\r", "\u2028")) {
      assertTrue(!text.contains(markup), markup + " in " + text);
    }
    String body = AlertText.body(a, LONDON);
    assertTrue(body.lines().noneMatch(l -> l.startsWith("See it in the console: https://evil")), body);
    assertTrue(Inert.line("x".repeat(5_000), 300).length() <= 300);
  }

  @Test
  void whileTheMailServerIsDownTheAlertIsTriedAgainWithBackOffAndTheWebhookIsNotRepeated() throws Exception {
    smtp.down();
    Rows.Alert a = raise("report", "");
    try (AlertSender sender = sender()) {
      assertEquals(0, sender.deliverDue());
      Rows.Alert tried = all().get(0);
      assertEquals("pending", tried.state());
      assertEquals(1, tried.attempts());
      assertTrue(tried.lastError().startsWith("email: "), tried.lastError());
      assertEquals(clock.millis() + 5_000, tried.nextTry());
      assertNotNull(tried.postedAt(), "the webhook took it on the first try");

      clock.advance(Duration.ofSeconds(4));
      assertEquals(0, sender.deliverDue());
      assertEquals(1, all().get(0).attempts(), "not before its back-off");
      clock.advance(Duration.ofSeconds(1));
      assertEquals(0, sender.deliverDue());
      assertEquals(2, all().get(0).attempts());
      assertEquals(clock.millis() + 10_000, all().get(0).nextTry(), "the wait doubles");

      smtp.up();
      clock.advance(Duration.ofSeconds(10));
      assertEquals(1, sender.deliverDue());
    }
    assertEquals(1, smtp.received().size());
    assertEquals(a.uid(), smtp.received().get(0).header("X-Schoolgate-Alert"));
    assertEquals(1, webhook.bodies().size(), "the webhook had it once: only the mail was tried again");
    assertEquals("delivered", all().get(0).state());
    assertEquals(3, all().get(0).attempts());
  }

  @Test
  void aRestartedSenderTriesEveryPendingAlertAtOnceWhateverItsBackOff() throws Exception {
    smtp.down();
    raise("supervised", "10.10.3.4");
    try (AlertSender sender = sender()) {
      sender.deliverDue();
    }
    assertEquals(1, all().get(0).attempts());
    smtp.up();
    try (AlertSender restarted = sender()) {
      assertEquals(1, restarted.deliverDue(), "no waiting out the back-off after a restart");
    }
    assertEquals(1, smtp.received().size());
  }

  @Test
  void theBackOffDoublesUpToItsCeiling() throws Exception {
    try (AlertSender sender = sender()) {
      assertEquals(List.of(5L, 10L, 20L, 40L, 40L, 40L), List.of(1, 2, 3, 4, 5, 30).stream()
          .map(n -> sender.backoff(n).toSeconds()).toList());
    }
  }

  @Test
  void anAlertKindThatIsNotOnIsNotRaised() {
    Config.Alerts onlyReports = new Config.Alerts(config.to(), config.from(), config.smtp(), null, Set.of("report"),
        Set.of(), Duration.ofMinutes(15));
    Alerts some = new Alerts(onlyReports, clock, LONDON);
    assertNull(store.transaction(ops -> some.raise(ops, new Alerts.Occurrence("supervised", clock.instant(), "10.10.3.4",
        null, "pupils", "x", null))).join());
    assertEquals(List.of(), all());
    assertEquals(Set.of(), some.categories());
  }
}
