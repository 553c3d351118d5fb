package org.schoolgate.e2e.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.RadClient;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.Await;

/**
 * The annual review names the person with the device (SPEC 11, 15): a device put under
 * supervision while a user was signed in on it by RADIUS accounting (sent by Debian's radclient)
 * is "user (address)" on the review; a device nobody signed in on is its address alone.
 */
class ReviewIdentityTest {
  static final String SECRET = "school-radius-secret";
  static final String PUPIL = "a.pupil@mellers.sch.uk";

  @TempDir
  static Path dir;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    RadClient.require();
    gate = new ProxyHarness(dir, 80, 443, y -> y + """
        identity:
          radius_accounting:
            listen: 127.0.0.1:0
            clients: [127.0.0.1/32]
            secret_file: radius.secret
          users:
            - {match: "*@staff.mellers.sch.uk", group: staff}
            - {match: "*@mellers.sch.uk", group: pupils}
        """, Duration.ofSeconds(10), config -> {
          Files.writeString(config.resolveSibling("radius.secret"), SECRET + "\n");
          Users.add(config, "head", "head");
        });
  }

  @AfterAll
  static void stop() {
    if (gate != null) {
      gate.close();
    }
  }

  static void superviseAt(String device) throws Exception {
    for (int i = 0; i < 5; i++) {
      try (VlanClient c = gate.client(device)) {
        assertEquals(403, c.send("CONNECT example.org:22 HTTP/1.1\r\nHost: example.org:22\r\n\r\n").status());
      }
      gate.clock.advance(Duration.ofMinutes(1)); // a device, host and kind make one attempt a minute
    }
  }

  @Test
  void aSupervisedDeviceIsNamedByItsUserOnTheReview() throws Exception {
    String signedIn = "127.0.10.91";
    String anonymous = "127.0.10.92";
    RadClient.Result start = RadClient.acct(gate.server.address("radius"), SECRET, "127.0.0.1",
        RadClient.session("Start", PUPIL, signedIn, "s-91"));
    assertTrue(start.answered(), start.output());
    superviseAt(signedIn);
    superviseAt(anonymous);
    AdminClient head = gate.admin(VlanClient.STAFF, "head");
    Await.until("both supervised", () -> {
      try {
        String body = head.get("/api/devices").body();
        return body.contains(signedIn) && body.contains(anonymous);
      } catch (java.io.IOException e) {
        return false;
      }
    });
    ConsoleClient console = new ConsoleClient(VlanClient.STAFF, gate.admin());
    assertEquals(303, console.signIn("head", Users.PASSWORD).status());
    HttpResult r = console.get("/review?from=2026-11-23&to=2026-11-23");
    assertEquals(200, r.status());
    assertTrue(r.body().contains("<td data-label=\"Device\">" + PUPIL + " (" + signedIn + ")</td>"), r.body());
    assertTrue(r.body().contains("<td data-label=\"Device\">" + anonymous + "</td>"), "nobody signed in: the address alone");
  }
}
