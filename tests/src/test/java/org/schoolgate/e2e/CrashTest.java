package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/**
 * "Every change through the API is durable when the response is sent": schoolgate runs as a
 * child process, 50 blocks are posted concurrently, the process is killed with SIGKILL right
 * after the last 2xx, and a restarted schoolgate lists and enforces all 50.
 */
class CrashTest {
  @Test
  void fiftyConcurrentBlocksSurviveSigkillRightAfterTheLastResponse(@TempDir Path dir) throws Exception {
    try (UpstreamServer web = UpstreamServer.http(); LoopbackDns dns = new LoopbackDns()) {
      Path config = ProxyHarness.writeConfig(dir, web.port(), 443, dns.address().getPort(), y -> y);
      Users.add(config, "head", "head");
      GateProcess first = GateProcess.start(config);
      AdminClient head = new AdminClient(VlanClient.STAFF, first.address("admin"), "head", Users.PASSWORD);
      List<String> domains = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        domains.add("crash" + i + ".example.net");
      }
      ExecutorService pool = Executors.newFixedThreadPool(50);
      try {
        List<Future<Integer>> posted = new ArrayList<>();
        for (String d : domains) {
          posted.add(pool.submit(() -> head.post("/api/blocks", "{\"domain\":\"" + d + "\",\"reason\":\"crash test\"}").status()));
        }
        for (Future<Integer> f : posted) {
          assertEquals(201, f.get(60, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      first.kill(); // SIGKILL, right after the last 2xx
      assertEquals(137, first.exitValue(), "killed by SIGKILL");

      GateProcess second = GateProcess.start(config);
      try {
        JsonNode listed = new AdminClient(VlanClient.STAFF, second.address("admin"), "head", Users.PASSWORD).get("/api/blocks").json();
        Set<String> stored = new HashSet<>();
        listed.forEach(b -> stored.add(b.get("domain").asText()));
        assertEquals(new HashSet<>(domains), stored);
        for (String d : List.of(domains.get(0), domains.get(24), domains.get(49))) {
          try (VlanClient c = new VlanClient(VlanClient.OFFICE, second.address("proxy"))) {
            assertEquals(403, c.get("http://" + d + ":" + web.port() + "/").status(), d + " is enforced after the restart");
          }
        }
      } finally {
        second.close();
      }
    }
  }
}
