package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * The shipped jar keeps who is on which address across a SIGKILL (SPEC 15: mappings are kept in
 * the store): radclient's Start is answered only once the mapping is stored, and a restarted
 * gateway lists it and decides with it.
 */
class RadiusRestartTest {
  @Test
  void aMappingSurvivesSigkill(@TempDir Path dir) throws Exception {
    RadClient.require();
    try (UpstreamServer web = UpstreamServer.http(); LoopbackDns dns = new LoopbackDns()) {
      Path config = ProxyHarness.writeConfig(dir, web.port(), 443, dns.address().getPort(),
          y -> y + RadiusAccountingTest.IDENTITY);
      Files.writeString(dir.resolve("radius.secret"), RadiusAccountingTest.SECRET + "\n");
      Users.add(config, "head", "head");
      GateProcess first = GateProcess.start(config);
      String device = "127.0.10.81";
      RadClient.Result start = RadClient.acct(first.address("radius"), RadiusAccountingTest.SECRET, "127.0.0.1",
          RadClient.session("Start", RadiusAccountingTest.TEACHER, device, "s-81"));
      assertTrue(start.answered(), start.output());
      first.kill();
      assertEquals(137, first.exitValue(), "killed by SIGKILL");

      GateProcess second = GateProcess.start(config);
      try {
        AdminClient head = new AdminClient(VlanClient.STAFF, second.address("admin"), "head", Users.PASSWORD);
        JsonNode ids;
        try {
          ids = head.get("/api/identities").json();
        } catch (java.io.IOException e) {
          throw new AssertionError("no answer; the gateway's stderr: " + Files.readString(dir.resolve("stderr.log")), e);
        }
        assertEquals(1, ids.get("total").asInt(), ids.toString());
        assertEquals(device, ids.get("identities").get(0).get("address").asText());
        assertEquals(RadiusAccountingTest.TEACHER, ids.get("identities").get(0).get("user").asText());
        JsonNode d = head.get("/api/decision?client=" + device + "&host=www.bbc.co.uk").json();
        assertEquals("staff", d.get("group").asText(), d.toString());
        assertEquals(RadiusAccountingTest.TEACHER, d.get("user").asText());
      } finally {
        second.close();
      }
    }
  }
}
