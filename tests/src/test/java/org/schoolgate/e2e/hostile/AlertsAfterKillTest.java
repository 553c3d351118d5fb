package org.schoolgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.AlertsConfig;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.SmtpServer;

/**
 * At least once, across SIGKILL: with the mail server down, a pupil is locked down and blocked in
 * an alert category; the proxy is killed with {@code kill -9}; the mail server comes back; the
 * restarted proxy sends exactly those alerts, each with its id.
 */
class AlertsAfterKillTest {
  @Test
  void alertsRaisedWhileTheMailServerIsDownAreSentAfterAKillAndARestart(@TempDir Path dir) throws Exception {
    try (LoopbackDns dns = new LoopbackDns(); SmtpServer smtp = new SmtpServer("filter", "s3cret").up()) {
      smtp.down();
      Files.writeString(dir.resolve("smtp.pass"), "s3cret\n");
      Path config = ProxyHarness.writeConfig(dir, 80, 443, dns.address().getPort(),
          y -> y + AlertsConfig.section(smtp.port(), null));
      Users.add(config, "head", "head");
      String[] trust = {"-Djavax.net.ssl.trustStore=" + SmtpServer.trustStore(dir), "-Djavax.net.ssl.trustStorePassword=changeit",
          "-Djavax.net.ssl.trustStoreType=PKCS12"};
      String pupil = "127.0.10.150";
      Set<String> raised = new TreeSet<>();
      try (GateProcess first = GateProcess.start(config, trust)) {
        AdminClient head = new AdminClient(VlanClient.STAFF, first.address("admin"), "head", Users.PASSWORD);
        assertEquals(200, head.call("PUT", "/api/devices/" + pupil + "/name", "{\"name\": \"Y5 iPad 12\"}").status());
        // Five hosts: a device, host and kind make one attempt a minute, and this gateway runs on the wall clock
        for (int i = 0; i < 5; i++) {
          String host = "attempt" + i + ".example.org:22";
          try (VlanClient c = new VlanClient(pupil, first.address("proxy"))) {
            assertEquals(403, c.send("CONNECT " + host + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status());
          }
        }
        try (VlanClient c = new VlanClient("127.0.10.151", first.address("proxy"))) {
          assertEquals(403, c.get("http://www.facebook.com/").status());
        }
        JsonNode alerts = Await.value("two alerts, tried and not delivered", () -> {
          try {
            JsonNode a = head.get("/api/alerts").json();
            boolean tried = a.size() == 2 && a.get(0).get("attempts").asInt() >= 1 && a.get(1).get("attempts").asInt() >= 1;
            return tried ? a : null;
          } catch (IOException e) {
            return null;
          }
        });
        for (JsonNode a : alerts) {
          assertEquals("pending", a.get("state").asText());
          assertTrue(a.get("last_error").asText().startsWith("email: "), a::toString);
          raised.add(a.get("id").asText());
        }
        first.kill();
      }
      assertEquals(0, smtp.received().size());
      smtp.up();
      try (GateProcess second = GateProcess.start(config, trust)) {
        AdminClient head = new AdminClient(VlanClient.STAFF, second.address("admin"), "head", Users.PASSWORD);
        Await.until("both alerts delivered", () -> {
          try {
            JsonNode a = head.get("/api/alerts").json();
            return a.size() == 2 && a.get(0).get("state").asText().equals("delivered")
                && a.get(1).get("state").asText().equals("delivered");
          } catch (IOException e) {
            return false;
          }
        });
      }
      Set<String> mailed = new TreeSet<>();
      smtp.received().forEach(m -> mailed.add(m.header("X-Schoolgate-Alert")));
      assertEquals(raised, mailed, "exactly the alerts raised, each at least once");
      assertTrue(smtp.received().stream().anyMatch(m -> m.header("Subject").contains("Y5 iPad 12 (127.0.10.150) was put under supervision")),
          () -> smtp.received().toString());
    }
  }
}
