package org.schoolgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/**
 * "Events are never dropped": every circumvention attempt whose 403 a pupil received is in
 * events.jsonl and in /api/events after the process is killed with SIGKILL under a stream of
 * attempts. Each attempt names its own host, so each acknowledged refusal can be looked for.
 */
class EventsAfterKillTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyAcknowledgedRefusalHasItsEventAfterSigkill(@TempDir Path dir) throws Exception {
    try (LoopbackDns dns = new LoopbackDns()) {
      // flag, not lockdown: a locked-down pupil's later requests are refused for supervision, not as new attempts
      Path config = ProxyHarness.writeConfig(dir, 80, 443, dns.address().getPort(),
          y -> y.replace("supervision: lockdown", "supervision: flag"));
      Users.add(config, "head", "head");
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicInteger next = new AtomicInteger();
      GateProcess first = GateProcess.start(config);
      ExecutorService pupils = Executors.newFixedThreadPool(8);
      try {
        for (int t = 0; t < 8; t++) {
          String source = "127.0.10." + (20 + t);
          pupils.submit(() -> {
            while (!Thread.currentThread().isInterrupted()) {
              String host = "attempt" + next.incrementAndGet() + ".nordvpn.com";
              try (VlanClient c = new VlanClient(source, first.address("proxy"))) {
                if (c.get("http://" + host + "/").status() == 403) {
                  acknowledged.add(host);
                }
              } catch (Exception e) {
                return; // the proxy is gone
              }
            }
            return;
          });
        }
        Await.until("300 refusals acknowledged", () -> acknowledged.size() >= 300);
        first.kill(); // SIGKILL with attempts in flight
      } finally {
        pupils.shutdownNow();
        assertTrue(pupils.awaitTermination(20, TimeUnit.SECONDS));
      }
      Set<String> ackedAtKill = new HashSet<>(acknowledged);

      Set<String> inFile = new HashSet<>();
      for (String line : Files.readAllLines(dir.resolve("logs/events.jsonl"))) {
        inFile.add(JSON.readTree(line).get("host").asText());
      }
      List<String> missingFromFile = new ArrayList<>(ackedAtKill);
      missingFromFile.removeAll(inFile);
      assertEquals(List.of(), missingFromFile, "acknowledged refusals missing from events.jsonl (of " + ackedAtKill.size() + ")");

      try (GateProcess second = GateProcess.start(config)) {
        AdminClient head = new AdminClient(VlanClient.STAFF, second.address("admin"), "head", Users.PASSWORD);
        JsonNode stored = head.get("/api/events?kind=circumvention-site&limit=10000").json();
        Set<String> inStore = new HashSet<>();
        stored.forEach(e -> inStore.add(e.get("host").asText()));
        List<String> missingFromStore = new ArrayList<>(ackedAtKill);
        missingFromStore.removeAll(inStore);
        assertEquals(List.of(), missingFromStore, "acknowledged refusals missing from /api/events (of " + ackedAtKill.size() + ")");
      }
    }
  }
}
