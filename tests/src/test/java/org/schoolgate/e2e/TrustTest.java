package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.TestTls;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.TestPostgres;

/**
 * Many gateways, one policy (SPEC section 12): two schoolgate processes, as two schools of a
 * trust, share one real PostgreSQL. What the headteacher does on one is in force on the other
 * within a second, with no polling: a block (its open tunnels closed too), a supervision and its
 * release. Reports, events, audit rows and log lines name the school whose gateway wrote them.
 */
class TrustTest {
  /** A gateway's configuration with the trust's store and its own site. */
  static UnaryOperator<String> trust(String site, String url) {
    return yaml -> yaml + "site: " + site + "\nstore:\n  kind: postgresql\n  url: " + url
        + "\n  user: " + TestPostgres.USER + "\n  password_file: db.pass\n";
  }

  static Path configure(Path dir, String site, String url, int httpPort, int tlsPort, LoopbackDns dns) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("db.pass"), TestPostgres.PASSWORD + "\n");
    return ProxyHarness.writeConfig(dir, httpPort, tlsPort, dns.address().getPort(), trust(site, url));
  }

  static int fetch(GateProcess gate, String source, String url) throws IOException {
    try (VlanClient c = new VlanClient(source, gate.address("proxy"))) {
      return c.get(url).status();
    }
  }

  @Test
  void aChangeOnOneGatewayIsInForceOnTheOtherWithinASecond(@TempDir Path dir) throws Exception {
    String url = TestPostgres.shared().newDatabase();
    TestTls tls = new TestTls(ProxyHarness.NAMES);
    try (UpstreamServer web = UpstreamServer.http(); UpstreamServer secure = UpstreamServer.tls(tls.serverContext());
         LoopbackDns dns = new LoopbackDns()) {
      Path configA = configure(dir.resolve("a"), "school-a", url, web.port(), secure.port(), dns);
      Path configB = configure(dir.resolve("b"), "school-b", url, web.port(), secure.port(), dns);
      Users.add(configA, "head", "head"); // one user table for the trust
      try (GateProcess a = GateProcess.start(configA); GateProcess b = GateProcess.start(configB)) {
        AdminClient headOnA = new AdminClient(VlanClient.STAFF, a.address("admin"), "head", Users.PASSWORD);
        AdminClient headOnB = new AdminClient(VlanClient.STAFF, b.address("admin"), "head", Users.PASSWORD);
        // signed in on both first: a password check costs seconds on a busy machine and is not what is measured
        assertEquals(200, headOnA.get("/api/blocks").status());
        assertEquals(200, headOnB.get("/api/blocks").status());
        String page = "http://school.test:" + web.port() + "/";
        assertEquals(200, fetch(b, VlanClient.OFFICE, page));

        // A tunnel to school.test open through gateway B...
        try (Socket raw = new Socket()) {
          raw.bind(new InetSocketAddress(InetAddress.getByName(VlanClient.OFFICE), 0));
          raw.setSoTimeout(10_000);
          raw.connect(b.address("intercept_tls"));
          SSLSocket tunnel = tls.handshake(raw, "school.test", secure.port());

          // ... and the headteacher blocks school.test on gateway A.
          long posted = System.nanoTime();
          assertEquals(201, headOnA.post("/api/blocks", "{\"domain\":\"school.test\",\"reason\":\"trust-wide\"}").status());
          long acknowledged = System.nanoTime();
          Await.until("the block is enforced on gateway B", Duration.ofSeconds(5),
              () -> {
                try {
                  return fetch(b, VlanClient.OFFICE, page) == 403;
                } catch (IOException e) {
                  return false;
                }
              });
          long enforced = System.nanoTime();
          System.out.printf("trust propagation: 201 on gateway A after %d ms, enforced on gateway B %d ms after the 201%n",
              (acknowledged - posted) / 1_000_000, (enforced - acknowledged) / 1_000_000);
          try {
            assertEquals(-1, tunnel.getInputStream().read(), "B closed its open tunnel to the newly blocked domain");
          } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
            // closed without a TLS close_notify: also closed
          }
        }

        // Five attempts through A put a pupil's device under supervision (lockdown) on B too.
        String pupil = VlanClient.freshPupil();
        String bbc = "http://www.bbc.co.uk:" + web.port() + "/";
        assertEquals(200, fetch(b, pupil, bbc));
        // Five hosts: a device, host and kind make one attempt a minute, and these gateways run on the wall clock
        for (int i = 0; i < 5; i++) {
          String host = "attempt" + i + ".example.org:22";
          try (VlanClient c = new VlanClient(pupil, a.address("proxy"))) {
            assertEquals(403, c.send("CONNECT " + host + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status());
          }
        }
        long fifth = System.nanoTime();
        Await.until("the device is locked down on gateway B", Duration.ofSeconds(5), () -> {
          try {
            return fetch(b, pupil, bbc) == 403;
          } catch (IOException e) {
            return false;
          }
        });
        System.out.printf("trust propagation: supervision in force on gateway B %d ms after the fifth attempt on A%n",
            (System.nanoTime() - fifth) / 1_000_000);

        // Released on B, the device is free on A again.
        assertEquals(204, headOnB.delete("/api/devices/" + pupil + "/supervision").status());
        Await.until("the release is in force on gateway A", Duration.ofSeconds(5), () -> {
          try {
            return fetch(a, pupil, bbc) == 200;
          } catch (IOException e) {
            return false;
          }
        });

        // A block given to one school is in force there only, wherever it was made.
        String example = "http://www.example.org:" + web.port() + "/";
        assertEquals(200, fetch(a, VlanClient.OFFICE, example));
        assertEquals(201, headOnA.post("/api/blocks",
            "{\"domain\":\"https://www.example.org/x\",\"reason\":\"school-b's own rule\",\"site\":\"school-b\"}").status());
        Await.until("the site's block is enforced on gateway B", Duration.ofSeconds(5), () -> {
          try {
            return fetch(b, VlanClient.OFFICE, example) == 403;
          } catch (IOException e) {
            return false;
          }
        });
        assertEquals(200, fetch(a, VlanClient.OFFICE, example), "not at school-a, where it was made");
        assertEquals("school-b", headOnA.get("/api/blocks").json().findValues("site").stream()
            .filter(v -> !v.isNull()).findFirst().orElseThrow().asText());

        // Each row names the school whose gateway wrote it, and the console filters by it.
        assertEquals(201, headOnB.post("/api/reports", "{\"url\": \"https://bad.example/\", \"kind\": \"inappropriate\"}")
            .status());
        assertEquals(List.of("block", "block", "user-add"), actions(headOnB.get("/api/audit?site=school-a").json()));
        assertEquals(List.of("report-inappropriate", "release-supervision"),
            actions(headOnA.get("/api/audit?site=school-b").json()));
        assertEquals("school-b", headOnA.get("/api/reports?status=open&site=school-b").json().get(0).get("site").asText());
        assertEquals(0, headOnA.get("/api/reports?site=school-a").json().size());
        assertEquals("school-a", headOnB.get("/api/events?kind=supervised&site=school-a").json().get(0).get("site").asText());
        assertEquals(0, headOnB.get("/api/events?kind=supervised&site=school-b").json().size());
        assertEquals(1, headOnA.get("/api/events?kind=released&site=school-b").json().size());
      }
      for (String site : List.of("a", "b")) {
        for (String log : List.of("access.jsonl", "audit.jsonl")) {
          List<String> lines = Files.readAllLines(dir.resolve(site).resolve("logs").resolve(log));
          assertTrue(!lines.isEmpty() && lines.stream().allMatch(l -> l.contains("\"site\":\"school-" + site + "\"")),
              log + " of school-" + site + ": " + lines);
        }
      }
    }
  }

  private static List<String> actions(JsonNode audit) {
    List<String> out = new ArrayList<>();
    audit.forEach(row -> out.add(row.get("action").asText()));
    return out;
  }
}
