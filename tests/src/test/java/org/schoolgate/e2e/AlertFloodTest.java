package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * An alert flood (issue 21 item 9): a hundred pupils blocked in an alert category within a
 * minute. Past ten alerts of a kind in ten minutes, the rest are folded into one summary alert —
 * sent a minute after it opened (the test's clock) — that names each device and site up to its
 * length cap and counts the rest: a handful of emails and posts, none of the hundred lost.
 */
class AlertFloodTest {
  private static final Pattern MORE = Pattern.compile("\\(and (\\d+) more\\)");

  @Test
  void aHundredPupilsBlockedAtOnceAreTenAlertsAndOneSummaryNamingTheRest(@TempDir Path dir) throws Exception {
    try (SmtpServer smtp = new SmtpServer("filter", "s3cret").up(); WebhookReceiver webhook = new WebhookReceiver();
         UpstreamServer web = UpstreamServer.http()) {
      Files.writeString(dir.resolve("smtp.pass"), "s3cret\n");
      try (ProxyHarness gate = new ProxyHarness(dir, web.port(), 443,
          y -> y + AlertsConfig.section(smtp.port(), webhook.url().toString()), Duration.ofSeconds(10),
          config -> Users.add(config, "head", "head"), smtp.clientTls())) {
        AdminClient head = gate.admin(VlanClient.STAFF, "head");
        List<String> pupils = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
          String pupil = "127.0.10." + (100 + i);
          pupils.add(pupil);
          try (VlanClient c = gate.client(pupil)) {
            assertEquals(403, c.get("http://www.facebook.com:" + web.port() + "/").status());
          }
        }
        JsonNode all = Await.value("an alert for each of the 100 blocks, or a place in a summary", () -> {
          try {
            JsonNode a = head.get("/api/alerts?limit=200").json();
            int total = 0;
            for (JsonNode x : a) {
              total += x.get("count").asInt();
            }
            return total == 100 ? a : null;
          } catch (IOException e) {
            return null;
          }
        });
        int own = 0;
        JsonNode summary = null;
        for (JsonNode a : all) {
          if (a.get("device").isNull()) {
            summary = a;
          } else {
            own++;
          }
        }
        assertEquals(10, own, "alerts of their own before the flood is summarised");
        assertTrue(summary != null, "no summary alert");
        assertEquals(90, summary.get("count").asInt());
        String what = summary.get("what").asText();
        assertTrue(what.length() <= 2_000, () -> "the summary is bounded: " + what.length());
        int named = 0;
        for (String pupil : pupils) {
          if (what.contains(pupil + " at www.facebook.com")) {
            named++;
          }
        }
        Matcher more = MORE.matcher(what);
        int rest = more.find() ? Integer.parseInt(more.group(1)) : 0;
        assertEquals(90, named + rest, () -> "every pupil of the summary named or counted: " + what);
        assertEquals("pending", summary.get("state").asText(), "the summary gathers for a minute before it is sent");

        gate.clock.advance(Duration.ofMinutes(1));
        gate.server.service().alerts().wake();
        String id = summary.get("id").asText();
        Await.until("the summary emailed and posted", () -> smtp.received().stream()
            .anyMatch(m -> id.equals(m.header("X-Schoolgate-Alert"))) && webhook.bodies().stream().anyMatch(b -> b.contains(id)));
        assertEquals(11, smtp.received().size(), "ten alerts and one summary, not a hundred emails");
        assertEquals(11, webhook.bodies().size());
        assertTrue(smtp.received().stream().anyMatch(m -> m.header("Subject")
            .contains("Many pupils' devices were blocked from sensitive sites")), () -> smtp.received().toString());
      }
    }
  }
}
