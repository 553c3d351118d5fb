package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.TestPostgres;

/**
 * A trust's database stopped and started under traffic (SPEC section 12): the gateway goes on
 * filtering with the last policy (a blocked site stays blocked, nothing fails open), refuses
 * admin changes with a 503 that says why, keeps every acknowledged circumvention event on disk,
 * survives {@code kill -9} and starts again on its local snapshot while the database is still
 * away, and sends every event when the database is back: none lost.
 */
class TrustFaultsTest {
  @Test
  void theDatabaseStoppedUnderTrafficLosesNothingAndNeverFailsOpen(@TempDir Path dir) throws Exception {
    try (TestPostgres pg = TestPostgres.start(); UpstreamServer web = UpstreamServer.http();
         LoopbackDns dns = new LoopbackDns()) {
      String url = pg.newDatabase();
      Path gateDir = dir.resolve("a");
      Files.createDirectories(gateDir);
      Files.writeString(gateDir.resolve("db.pass"), TestPostgres.PASSWORD + "\n");
      // flag, not lockdown: a locked-down pupil's later requests are refused for supervision, not as new attempts
      Path config = ProxyHarness.writeConfig(gateDir, web.port(), 443, dns.address().getPort(),
          y -> TrustTest.trust("school-a", url).apply(y.replace("supervision: lockdown", "supervision: flag")));
      Users.add(config, "head", "head");
      AtomicReference<GateProcess> gate = new AtomicReference<>(GateProcess.start(config));
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicInteger next = new AtomicInteger();
      ExecutorService pupils = Executors.newFixedThreadPool(4);
      try {
        AdminClient head = new AdminClient(VlanClient.STAFF, gate.get().address("admin"), "head", Users.PASSWORD);
        assertEquals(201, head.post("/api/blocks", "{\"domain\":\"school.test\",\"reason\":\"before the outage\"}").status());
        String blocked = "http://school.test:" + web.port() + "/";
        String allowed = "http://www.bbc.co.uk:" + web.port() + "/";

        for (int t = 0; t < 4; t++) {
          String source = "127.0.10." + (40 + t);
          pupils.submit(() -> {
            while (!Thread.currentThread().isInterrupted()) {
              String host = "outage" + next.incrementAndGet() + ".nordvpn.com";
              try (VlanClient c = new VlanClient(source, gate.get().address("proxy"))) {
                if (c.get("http://" + host + "/").status() == 403) {
                  acknowledged.add(host);
                }
              } catch (IOException | RuntimeException e) {
                // the gateway is being killed or restarted: the attempt was not acknowledged
              }
            }
          });
        }
        Await.until("50 refusals with the database up", Duration.ofSeconds(60), () -> acknowledged.size() >= 50);

        pg.stopServer();
        int atStop = acknowledged.size();
        assertEquals(403, fetch(gate.get(), blocked), "the block stays in force without the database");
        assertEquals(200, fetch(gate.get(), allowed), "and the rest of the policy too");
        AdminClient.Reply refused = head.post("/api/blocks", "{\"domain\":\"x.example\",\"reason\":\"during the outage\"}");
        assertEquals(503, refused.status());
        assertTrue(refused.error().contains("database"), refused.body());
        Await.until("50 more refusals with the database away", Duration.ofSeconds(60),
            () -> acknowledged.size() >= atStop + 50);

        gate.get().kill(); // SIGKILL, the database still away and attempts in flight
        gate.set(GateProcess.start(config)); // starts on its local snapshot of the policy
        assertEquals(403, fetch(gate.get(), blocked), "a gateway started while the database is away keeps the block");
        assertEquals(200, fetch(gate.get(), allowed));
        int atRestart = acknowledged.size();
        Await.until("30 more refusals after the restart", Duration.ofSeconds(60),
            () -> acknowledged.size() >= atRestart + 30);

        pg.startServer();
        AdminClient headAgain = new AdminClient(VlanClient.STAFF, gate.get().address("admin"), "head", Users.PASSWORD);
        Await.until("admin changes are taken again", Duration.ofSeconds(60), () -> {
          try {
            int status = headAgain.post("/api/blocks", "{\"domain\":\"x.example\",\"reason\":\"after the outage\"}").status();
            return status == 201 || status == 200; // 200: an earlier try was committed as its answer was lost
          } catch (IOException e) {
            return false;
          }
        });
      } catch (Exception | AssertionError e) {
        gate.get().close();
        throw e;
      } finally {
        pupils.shutdownNow();
        assertTrue(pupils.awaitTermination(30, TimeUnit.SECONDS));
      }
      try (GateProcess last = gate.get()) {
        Set<String> sent = new HashSet<>(acknowledged);
        AdminClient head = new AdminClient(VlanClient.STAFF, last.address("admin"), "head", Users.PASSWORD);
        List<String> missing = new ArrayList<>();
        Await.until("every acknowledged attempt is in the database", Duration.ofSeconds(60), () -> {
          try {
            Set<String> stored = new HashSet<>();
            head.get("/api/events?kind=circumvention-site&limit=10000").json()
                .forEach(e -> stored.add(e.get("host").asText()));
            missing.clear();
            sent.stream().filter(h -> !stored.contains(h)).forEach(missing::add);
            return missing.isEmpty();
          } catch (IOException | RuntimeException e) {
            return false;
          }
        });
        assertEquals(List.of(), missing, "acknowledged refusals missing from /api/events (of " + sent.size() + ")");
        System.out.printf("database outage: %d acknowledged attempts, all stored%n", sent.size());
      }
    }
  }

  private static int fetch(GateProcess gate, String url) throws IOException {
    try (VlanClient c = new VlanClient(VlanClient.OFFICE, gate.address("proxy"))) {
      return c.get(url).status();
    }
  }
}
