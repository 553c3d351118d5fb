package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.RadClient;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.Await;
import org.schoolgate.testing.TestPostgres;

/**
 * Identity in a trust (SPEC 12, 15): two gateways of one school on one real PostgreSQL. A Start
 * that radclient sends to gateway A puts the mapping in force on gateway B too (the device is
 * staff there), and the Stop sent to A ends it on B. Mappings belong to their site (the
 * addresses of two schools overlap), so both gateways here are the same site's.
 */
class TrustIdentityTest {
  static Path configure(Path dir, String url, int httpPort, LoopbackDns dns) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("db.pass"), TestPostgres.PASSWORD + "\n");
    Files.writeString(dir.resolve("radius.secret"), RadiusAccountingTest.SECRET + "\n");
    return ProxyHarness.writeConfig(dir, httpPort, 443, dns.address().getPort(),
        y -> TrustTest.trust("school-a", url).apply(y) + RadiusAccountingTest.IDENTITY);
  }

  static JsonNode decision(AdminClient head, String device) {
    try {
      return head.get("/api/decision?client=" + device + "&host=www.bbc.co.uk").json();
    } catch (IOException e) {
      return null;
    }
  }

  @Test
  void aStartSentToOneGatewayIsInForceOnTheOther(@TempDir Path dir) throws Exception {
    RadClient.require();
    String url = TestPostgres.shared().newDatabase();
    try (UpstreamServer web = UpstreamServer.http(); LoopbackDns dns = new LoopbackDns()) {
      Path configA = configure(dir.resolve("a"), url, web.port(), dns);
      Path configB = configure(dir.resolve("b"), url, web.port(), dns);
      Users.add(configA, "head", "head"); // one user table for the trust
      try (GateProcess a = GateProcess.start(configA); GateProcess b = GateProcess.start(configB)) {
        AdminClient headOnB = new AdminClient(VlanClient.STAFF, b.address("admin"), "head", Users.PASSWORD);
        String device = "127.0.10.95";
        assertEquals("pupils", decision(headOnB, device).get("group").asText(), "nobody signed in: its network's group");

        RadClient.Result start = RadClient.acct(a.address("radius"), RadiusAccountingTest.SECRET, "127.0.0.1",
            RadClient.session("Start", RadiusAccountingTest.TEACHER, device, "s-95"));
        assertTrue(start.answered(), start.output());
        long answered = System.nanoTime();
        Await.until("the teacher is staff on gateway B", Duration.ofSeconds(5), () -> {
          JsonNode d = decision(headOnB, device);
          return d != null && "staff".equals(d.get("group").asText());
        });
        System.out.printf("trust identity: in force on gateway B %d ms after gateway A's Accounting-Response%n",
            (System.nanoTime() - answered) / 1_000_000);
        assertEquals(RadiusAccountingTest.TEACHER, decision(headOnB, device).get("user").asText());

        RadClient.Result stop = RadClient.acct(a.address("radius"), RadiusAccountingTest.SECRET, "127.0.0.1",
            RadClient.session("Stop", RadiusAccountingTest.TEACHER, device, "s-95"));
        assertTrue(stop.answered(), stop.output());
        Await.until("the Stop ends it on gateway B", Duration.ofSeconds(5), () -> {
          JsonNode d = decision(headOnB, device);
          return d != null && "pupils".equals(d.get("group").asText()) && d.path("user").isNull();
        });
      }
    }
  }
}
