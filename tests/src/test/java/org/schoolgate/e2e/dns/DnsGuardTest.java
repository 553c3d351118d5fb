package org.schoolgate.e2e.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.Schoolgate;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.dns.Outcome;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.Dig;
import org.schoolgate.testing.FakeClock;
import org.schoolgate.e2e.support.HelloBuilder;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.RecordingEvents;
import org.schoolgate.e2e.support.TestResolver;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.log.CircumventionRecord;

/**
 * The DNS guard (SPEC 14) on loopback, asked by Debian's {@code dig} (and by Java for what dig
 * cannot send: bursts and broken packets), in front of {@link TestResolver}. Pupils are
 * 127.0.10.x (safe search on), staff 127.0.20.x; 127.0.0.9 is in no network and not in
 * {@code admin.allow_from}.
 */
class DnsGuardTest {
  static TestResolver upstream;
  static Schoolgate server;
  static final FakeClock clock = new FakeClock(FakeClock.london(ProxyHarness.MONDAY + "T11:00"));
  static final RecordingEvents events = new RecordingEvents();
  static Path dir;
  static InetSocketAddress guard;

  @BeforeAll
  static void start(@TempDir Path tmp) throws Exception {
    assumeTrue(Dig.installed() || System.getenv("CI") == null, "skipped: the DNS guard's tests need dig (apt-get install dnsutils)");
    assertTrue(Dig.installed(), "dig is missing (apt-get install dnsutils)");
    dir = tmp;
    upstream = new TestResolver("127.0.0.1");
    Path config = ProxyHarness.writeConfig(dir, 1, 1, upstream.address().getPort(), y -> y
        .replace("  admin: 127.0.0.1:0\n", "  admin: 127.0.0.1:0\n  dns: 127.0.0.1:0\n")
        .replace("    block: [social, forums, chat, media-sharing, microblogging, circumvention]\n",
            "    block: [social, forums, chat, media-sharing, microblogging, circumvention]\n    safe_search: true\n")
        + "dns:\n  upstream: [\"127.0.0.1:" + upstream.address().getPort() + "\"]\n  log_queries: true\n");
    Users.add(config, "head", "head");
    server = Schoolgate.start(ConfigLoader.load(config), new Schoolgate.Options(clock, Duration.ofMillis(50), events,
        Schoolgate.Options.HELLO_TIMEOUT, org.schoolgate.alert.AlertSender.Timing.DEFAULTS, null, Duration.ofMillis(800)));
    guard = server.address("dns");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  static String dig(String source, String name, String type, String... options) throws Exception {
    return Dig.ask(guard, source, name, type, options);
  }

  static long count(Outcome o) {
    return server.dnsStats().get(o);
  }

  @Test
  void forwardsTheUpstreamsAnswerWithItsFlagsAndEdns() throws Exception {
    String out = dig("127.0.10.21", TestResolver.WWW, "A", "+nsid");
    assertEquals("NOERROR", Dig.status(out), out);
    assertEquals(List.of(TestResolver.WWW + ". 300 IN A 192.0.2.10"), Dig.answers(out), out);
    assertTrue(out.contains("flags: qr aa rd ra"), "the upstream's AA flag is kept:\n" + out);
    assertTrue(out.contains("(\"" + TestResolver.NSID + "\")"), "EDNS options pass both ways (NSID):\n" + out);
    String signed = dig("127.0.10.21", TestResolver.SIGNED, "A", "+dnssec");
    assertTrue(signed.replaceAll("\\s+", " ").contains("RRSIG A 13 3 300"), "DNSSEC records are kept:\n" + signed);
    assertTrue(signed.contains("; EDNS: version: 0, flags: do;"), signed);
  }

  @Test
  void cachedAnswersCountTheirTtlDown() throws Exception {
    String first = dig("127.0.10.22", TestResolver.WWW, "AAAA");
    assertTrue(Dig.answers(first).get(0).contains(" 300 IN AAAA 2001:db8::10"), first);
    int asked = upstream.queries(TestResolver.WWW);
    long cached = count(Outcome.CACHED);
    clock.advance(Duration.ofSeconds(100));
    String second = dig("127.0.10.22", TestResolver.WWW, "AAAA");
    assertTrue(Dig.answers(second).get(0).contains(" 200 IN AAAA 2001:db8::10"), second);
    assertEquals(asked, upstream.queries(TestResolver.WWW), "answered from the cache");
    assertEquals(cached + 1, count(Outcome.CACHED));
    clock.advance(Duration.ofSeconds(201));
    String third = dig("127.0.10.22", TestResolver.WWW, "AAAA");
    assertTrue(Dig.answers(third).get(0).contains(" 300 IN AAAA"), "expired, asked again:\n" + third);
    assertEquals(asked + 1, upstream.queries(TestResolver.WWW));
  }

  @Test
  void aTruncatedAnswerIsAskedAgainOverTcpAndTcpClientsAreAnsweredOverTcp() throws Exception {
    int tcpBefore = upstream.tcpQueries.get();
    String out = dig("127.0.10.23", TestResolver.BIG, "TXT");
    assertEquals(40, Dig.answers(out).size(), out);
    assertTrue(upstream.tcpQueries.get() > tcpBefore, "the guard asked the upstream over TCP");
    assertTrue(out.contains("Truncated, retrying in TCP mode"), "too big for the client's UDP: it was sent to TCP\n" + out);
    String tcp = dig("127.0.10.23", TestResolver.WWW, "A", "+tcp");
    assertEquals("NOERROR", Dig.status(tcp), tcp);
    assertTrue(tcp.contains("(TCP)"), tcp);
  }

  @Test
  void silenceIsServfailWithinTheDeadline() throws Exception {
    long before = count(Outcome.SERVFAIL);
    String out = dig("127.0.10.24", TestResolver.SILENT, "A");
    assertEquals("SERVFAIL", Dig.status(out), out);
    assertEquals(before + 1, count(Outcome.SERVFAIL));
  }

  @Test
  void anAddressOutsideTheSchoolsNetworksIsRefused() throws Exception {
    long before = count(Outcome.REFUSED);
    int asked = upstream.queries("refused.example.test");
    String out = dig("127.0.0.9", "refused.example.test", "A");
    assertEquals("REFUSED", Dig.status(out), out);
    assertEquals(before + 1, count(Outcome.REFUSED));
    assertEquals(asked, upstream.queries("refused.example.test"), "never forwarded: not an open resolver");
  }

  @Test
  void aClientIsHeldTo200QueriesASecond() throws Exception {
    long limited = count(Outcome.RATE_LIMITED);
    DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.10.77", 0));
    try {
      s.setSoTimeout(200);
      AtomicInteger answers = new AtomicInteger();
      Thread reader = new Thread(() -> {
        byte[] buf = new byte[512];
        while (!s.isClosed()) {
          try {
            s.receive(new DatagramPacket(buf, buf.length));
            answers.incrementAndGet();
          } catch (java.io.IOException timeoutOrClosed) {
            // keep reading until closed
          }
        }
      });
      reader.start();
      for (int i = 0; i < 250; i++) {
        byte[] q = query(i, "use-application-dns.net");
        s.send(new DatagramPacket(q, q.length, guard));
      }
      Await.until("250 queries seen", () -> count(Outcome.RATE_LIMITED) - limited == 50);
      Await.until("200 answers", () -> answers.get() == 200);
      clock.advance(Duration.ofSeconds(1));
      byte[] q = query(999, "use-application-dns.net");
      s.send(new DatagramPacket(q, q.length, guard));
      Await.until("answered again a second later", () -> answers.get() == 201);
      s.close();
      reader.join();
    } finally {
      s.close();
    }
    assertEquals(limited + 50, count(Outcome.RATE_LIMITED));
  }

  @Test
  void malformedPacketsAreCountedAndNeverForwarded() throws Exception {
    long before = count(Outcome.MALFORMED);
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.10.78", 0))) {
      s.setSoTimeout(5000);
      byte[] junk = {1, 2, 3, 4, 5};
      s.send(new DatagramPacket(junk, junk.length, guard));
      byte[] noQuestion = new byte[12];
      noQuestion[0] = 0x12;
      noQuestion[1] = 0x34;
      s.send(new DatagramPacket(noQuestion, noQuestion.length, guard));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      s.receive(reply);
      assertEquals(0x12, reply.getData()[0]);
      assertEquals(0x34, reply.getData()[1]);
      assertEquals(1, reply.getData()[3] & 0xf, "FORMERR");
    }
    Await.until("both counted", () -> count(Outcome.MALFORMED) == before + 2);
  }

  @Test
  void echIsStrippedFromHttpsAndSvcbAnswersWithEveryOtherParameterKept() throws Exception {
    String direct = Dig.ask(upstream.address(), "127.0.0.1", TestResolver.ECH, "HTTPS");
    assertTrue(direct.contains("ech="), "the upstream's own answer carries ech:\n" + direct);
    long before = count(Outcome.ECH_STRIPPED);
    String out = dig("127.0.10.25", TestResolver.ECH, "HTTPS");
    List<String> answers = Dig.answers(out);
    assertEquals(1, answers.size(), out);
    assertTrue(answers.get(0).endsWith("HTTPS 1 . alpn=\"h2,h3\" ipv4hint=192.0.2.11"), out);
    String svcb = dig("127.0.10.25", TestResolver.SVCB, "SVCB");
    assertTrue(Dig.answers(svcb).get(0).endsWith("SVCB 1 svc.example.test. port=8443"), svcb);
    assertEquals(before + 2, count(Outcome.ECH_STRIPPED));
    String again = dig("127.0.10.25", TestResolver.ECH, "HTTPS");
    assertFalse(again.contains("ech="), "the cache keeps the stripped answer:\n" + again);
  }

  @Test
  void theCanariesAreNxdomainForEveryone() throws Exception {
    for (String source : List.of("127.0.10.26", "127.0.20.26")) {
      for (String canary : List.of("use-application-dns.net", "mask.icloud.com", "mask-h2.icloud.com")) {
        String out = dig(source, canary, "A");
        assertEquals("NXDOMAIN", Dig.status(out), source + " " + canary + "\n" + out);
        assertEquals(0, upstream.queries(canary));
      }
    }
  }

  @Test
  void aCircumventionNameIsNxdomainAndOneEventAMinuteThatNeverSupervises() throws Exception {
    String pupil = "127.0.10.30";
    for (int minute = 0; minute < 6; minute++) {
      for (String type : List.of("A", "AAAA", "HTTPS")) {
        assertEquals("NXDOMAIN", Dig.status(dig(pupil, "nordvpn.com", type)));
      }
      int expected = minute + 1;
      Await.until(expected + " dns events", () -> dnsEvents(pupil).size() == expected);
      clock.advance(Duration.ofMinutes(1));
    }
    assertEquals(0, upstream.queries("nordvpn.com"));
    CircumventionRecord e = dnsEvents(pupil).get(0);
    assertEquals("nordvpn.com", e.host());
    assertEquals("pupils", e.group());
    assertTrue(server.supervision().devices().join().stream().noneMatch(d -> d.address().equals(pupil)),
        "six minutes of look-ups never put a device under supervision");
  }

  @Test
  void echConnectionsAreBlockedAndRecordedButDoNotSuperviseWhileTheGuardIsOn() throws Exception {
    String pupil = "127.0.10.31";
    byte[] hello = new HelloBuilder().serverName("cloudflare-ech.com").ech().build();
    for (int i = 0; i < 6; i++) {
      try (Socket s = new Socket()) {
        s.bind(new InetSocketAddress(pupil, 0));
        s.connect(server.address("intercept_tls"));
        s.getOutputStream().write(hello);
        InputStream in = s.getInputStream();
        while (in.read() >= 0) {
          // until the guard closes it
        }
      } catch (java.net.SocketException reset) {
        // closed: blocked
      }
      clock.advance(Duration.ofMinutes(1)); // one attempt a device, host and kind a minute: six minutes, six attempts
    }
    Await.until("six ech events", () -> events.events.stream()
        .filter(e -> e.client().equals(pupil) && e.kind().equals("ech")).count() == 6);
    assertTrue(server.supervision().devices().join().stream().noneMatch(d -> d.address().equals(pupil)),
        "with the DNS guard on, ech attempts do not count towards supervision");
  }

  @Test
  void safeSearchIsACnameToTheFrontEndFollowedByItsAddress() throws Exception {
    String out = dig("127.0.10.32", "www.google.com", "A");
    assertEquals(List.of("www.google.com. 300 IN CNAME forcesafesearch.google.com.",
        "forcesafesearch.google.com. 300 IN A 192.0.2.53"), Dig.answers(out), out);
    String staff = dig("127.0.20.32", "www.google.com", "A");
    assertEquals("NXDOMAIN", Dig.status(staff), "staff have no safe search: forwarded as it is\n" + staff);
  }

  @Test
  void theDecisionTheMetricsAndTheQueryLogShowTheGuard() throws Exception {
    AdminClient head = new AdminClient("127.0.0.1", server.address("admin"), "head", Users.PASSWORD);
    String canary = head.get("/api/decision?client=127.0.10.5&host=use-application-dns.net").json().get("dns").asText();
    assertTrue(canary.contains("does not exist, for every device"), canary);
    String safe = head.get("/api/decision?client=127.0.10.5&host=www.google.com").json().get("dns").asText();
    assertTrue(safe.contains("forcesafesearch.google.com"), safe);
    String blocked = head.get("/api/decision?client=127.0.10.5&url=https://nordvpn.com/").json().get("dns").asText();
    assertTrue(blocked.contains("a way round the filter"), blocked);
    dig("127.0.10.33", "mask.icloud.com", "A");
    String metrics = new AdminClient("127.0.0.1", server.address("admin"), null, null).get("/metrics").body();
    assertTrue(metrics.contains("schoolgate_dns_queries_total{outcome=\"canary\"}"), metrics);
    Path log = dir.resolve("logs").resolve("dns.jsonl");
    Await.until("the query is logged", () -> {
      try {
        return Files.exists(log) && Files.readString(log).lines().anyMatch(l -> l.contains("\"client\":\"127.0.10.33\"")
            && l.contains("\"query\":\"mask.icloud.com\"") && l.contains("\"outcome\":\"canary\"")
            && l.contains("\"answer\":\"NXDOMAIN\""));
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }

  private static List<CircumventionRecord> dnsEvents(String client) {
    return events.events.stream().filter(e -> e.client().equals(client) && e.kind().equals("dns")).toList();
  }

  /** A plain query for {@code name} type A, recursion desired. */
  static byte[] query(int id, String name) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) (id >>> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    out.writeBytes(new byte[] {0, 0, 1, 0, 1});
    return out.toByteArray();
  }
}
