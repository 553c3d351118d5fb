package org.schoolgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AlertsConfig;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.GateProcess;
import org.schoolgate.e2e.support.LoopbackDns;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.testing.SmtpServer;
import org.schoolgate.testing.TestPostgres;

/**
 * Safeguarding alerts raised while a trust's database is away (SPEC 12, issue 20 item 2): they
 * wait on disk with the circumvention events ({@code data_dir/event-queue.jsonl}, fsynced), so a
 * {@code kill -9} before the database is back loses none; the gateway started again sends them
 * once it is.
 */
class AlertsWhileTheDatabaseIsAwayTest {
  @Test
  void alertsRaisedWhileTheDatabaseIsAwaySurviveAKillAndAreSentWhenItIsBack(@TempDir Path dir) throws Exception {
    try (TestPostgres pg = TestPostgres.start(); UpstreamServer web = UpstreamServer.http(); LoopbackDns dns = new LoopbackDns();
         SmtpServer smtp = new SmtpServer("filter", "s3cret").up()) {
      String url = pg.newDatabase();
      Files.writeString(dir.resolve("db.pass"), TestPostgres.PASSWORD + "\n");
      Files.writeString(dir.resolve("smtp.pass"), "s3cret\n");
      Path config = ProxyHarness.writeConfig(dir, web.port(), 443, dns.address().getPort(),
          y -> y + "site: school-a\nstore:\n  kind: postgresql\n  url: " + url + "\n  user: " + TestPostgres.USER
              + "\n  password_file: db.pass\n" + AlertsConfig.section(smtp.port(), null));
      String[] trust = {"-Djavax.net.ssl.trustStore=" + SmtpServer.trustStore(dir), "-Djavax.net.ssl.trustStorePassword=changeit",
          "-Djavax.net.ssl.trustStoreType=PKCS12"};
      Path queue = dir.resolve("data").resolve("event-queue.jsonl");
      String locked = "127.0.10.160";
      String blocked = "127.0.10.161";
      try (GateProcess first = GateProcess.start(config, trust)) {
        pg.stopServer();
        for (int i = 0; i < 5; i++) {
          try (VlanClient c = new VlanClient(locked, first.address("proxy"))) {
            // five hosts: one device, host and kind make one attempt a minute, and this gateway runs on the wall clock
            String host = "h" + i + ".example.org:22";
            assertEquals(403, c.send("CONNECT " + host + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status());
          }
        }
        try (VlanClient c = new VlanClient(blocked, first.address("proxy"))) {
          assertEquals(403, c.get("http://www.facebook.com:" + web.port() + "/").status());
        }
        Await.until("both alerts queued on disk with the events", Duration.ofSeconds(20), () -> alertLines(queue) == 2);
        first.kill(); // SIGKILL with the database still away
      }
      assertEquals(0, smtp.received().size());
      pg.startServer();
      try (GateProcess second = GateProcess.start(config, trust)) {
        Await.until("both alerts emailed once the database is back", Duration.ofSeconds(60), () -> second.isAlive()
            && smtp.received().stream().anyMatch(m -> m.data().contains(locked + " was put under supervision"))
                && smtp.received().stream().anyMatch(m -> m.data().contains(blocked) && m.data().contains("www.facebook.com")));
      }
      assertTrue(alertLines(queue) == 0, "the queue is emptied once they are in the database");
    }
  }

  private static long alertLines(Path queue) {
    try {
      List<String> lines = Files.exists(queue) ? Files.readAllLines(queue) : List.of();
      return lines.stream().filter(l -> l.startsWith("{\"alert\"")).count();
    } catch (IOException e) {
      return -1;
    }
  }
}
