package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.TestTls;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;

/**
 * SPEC section 10 over real sockets: pupils enforce safe search and YouTube's strict restricted
 * mode, staff the moderate one, office neither. Each site and each enforced front end is its own
 * origin on its own loopback address (one port per protocol, as upstream.http_port and tls_port
 * are one port), named in the gateway's hosts file, each TLS origin with its own certificate: a
 * client that trusts only the front end's certificate completes its handshake only if the gateway
 * connected it there, with the client's own server name, and nothing in between decrypted it.
 */
class SafeSearchTest {
  static final String SITES = "127.0.0.51";
  static final String GOOGLE_SAFE = "127.0.0.52";
  static final String YOUTUBE_STRICT = "127.0.0.53";
  static final String YOUTUBE_MODERATE = "127.0.0.54";
  /** The pupil device a curriculum override lets watch YouTube. */
  static final String FILM_CLUB = "127.0.10.67";
  /** Bing's and DuckDuckGo's other search front ends (issue 21, item 6); their safe front ends share GOOGLE_SAFE. */
  static final List<String> OTHER_SEARCH_HOSTS = List.of("html.duckduckgo.com", "lite.duckduckgo.com", "cn.bing.com",
      "www2.bing.com", "edgeservices.bing.com");
  static final List<String> CERTIFICATE_NAMES = List.of("www.google.co.uk", "google.co.uk", "mail.google.com",
      "www.youtube.com", "m.youtube.com");

  @TempDir
  static Path dir;
  static TestTls sitesTls;
  static TestTls googleSafeTls;
  static TestTls strictTls;
  static TestTls moderateTls;
  /** The sites' own servers and the front ends, by address: TLS ones share one port, HTTP ones another. */
  static UpstreamServer sites;
  static UpstreamServer googleSafe;
  static UpstreamServer youtubeStrict;
  static UpstreamServer youtubeModerate;
  static UpstreamServer sitesWeb;
  static UpstreamServer googleSafeWeb;
  static List<UpstreamServer> all;
  static ProxyHarness gate;
  static AdminClient head;

  @BeforeAll
  static void start() throws Exception {
    sitesTls = new TestTls(CERTIFICATE_NAMES);
    googleSafeTls = new TestTls(CERTIFICATE_NAMES);
    strictTls = new TestTls(CERTIFICATE_NAMES);
    moderateTls = new TestTls(CERTIFICATE_NAMES);
    List<UpstreamServer> secure = onOnePort(List.of(SITES, GOOGLE_SAFE, YOUTUBE_STRICT, YOUTUBE_MODERATE),
        List.of(sitesTls, googleSafeTls, strictTls, moderateTls));
    sites = secure.get(0);
    googleSafe = secure.get(1);
    youtubeStrict = secure.get(2);
    youtubeModerate = secure.get(3);
    List<UpstreamServer> web = onOnePort(List.of(SITES, GOOGLE_SAFE), null);
    sitesWeb = web.get(0);
    googleSafeWeb = web.get(1);
    all = List.of(sites, googleSafe, youtubeStrict, youtubeModerate, sitesWeb, googleSafeWeb);
    gate = new ProxyHarness(dir, sitesWeb.port(), sites.port(), SafeSearchTest::groupsEnforce, Duration.ofSeconds(10),
        config -> {
          Path hosts = config.resolveSibling("hosts"); // first line for a name wins: these come first
          Files.writeString(hosts, SITES + " www.google.co.uk google.co.uk mail.google.com www.youtube.com m.youtube.com\n"
              + SITES + " " + String.join(" ", OTHER_SEARCH_HOSTS) + "\n"
              + GOOGLE_SAFE + " forcesafesearch.google.com strict.bing.com safe.duckduckgo.com\n"
              + YOUTUBE_STRICT + " restrict.youtube.com\n"
              + YOUTUBE_MODERATE + " restrictmoderate.youtube.com\n"
              + Files.readString(hosts));
          Users.add(config, "head", "head");
        });
    head = gate.admin(VlanClient.STAFF, "head");
    // Film club: one pupil's device may watch YouTube today; media-sharing stays blocked for every other pupil.
    assertEquals(201, head.post("/api/overrides", "{\"client\":\"" + FILM_CLUB + "\",\"domains\":[\"youtube.com\"],"
        + "\"until\":\"" + ProxyHarness.MONDAY + "T15:15:00Z\",\"reason\":\"film club\"}").status());
  }

  /** Pupils: safe search and YouTube strict; staff: YouTube moderate; office: neither (the default). */
  static String groupsEnforce(String yaml) {
    String pupils = "    block: [social, forums, chat, media-sharing, microblogging, circumvention]\n";
    String staff = "  staff:\n    block: [circumvention]\n";
    assertTrue(yaml.contains(pupils) && yaml.contains(staff), "test setup: the harness's groups");
    return yaml.replace(pupils, pupils + "    safe_search: true\n    youtube: strict\n")
        .replace(staff, staff + "    youtube: moderate\n");
  }

  /**
   * Servers on each of {@code addresses} on one port, TLS with the matching certificate (or plain
   * HTTP when {@code certificates} is null). The first takes a free port; should another address
   * have that port taken already, all start again on a new one.
   */
  static List<UpstreamServer> onOnePort(List<String> addresses, List<TestTls> certificates) throws Exception {
    for (int attempt = 0; ; attempt++) {
      List<UpstreamServer> started = new ArrayList<>();
      try {
        int port = 0;
        for (int i = 0; i < addresses.size(); i++) {
          InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(addresses.get(i)), port);
          started.add(certificates == null ? UpstreamServer.http(bind)
              : UpstreamServer.tls(certificates.get(i).serverContext(), bind));
          port = started.get(0).port();
        }
        return started;
      } catch (Exception e) {
        started.forEach(UpstreamServer::close);
        if (attempt == 4) {
          throw e;
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    gate.close();
    all.forEach(UpstreamServer::close);
  }

  @BeforeEach
  void lessonTimeAndNothingSeenYet() throws Exception {
    gate.clock.setLondon(ProxyHarness.MONDAY + "T11:00");
    for (UpstreamServer o : all) {
      while (o.requestCount() > 0) {
        o.take();
      }
    }
  }

  // ---- helpers: a device reaching a site the way each listener sees it ----

  /** GET over TLS already set up; the response's last line (the origin says host, path and SNI). */
  private static String get(SSLSocket s, String host, String path) throws Exception {
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("HTTP/1.1 200 OK", in.readLine());
    String last = null;
    for (String l; (l = in.readLine()) != null; ) {
      last = l;
    }
    return last;
  }

  /** A redirected HTTPS connection (the intercept TLS listener) trusting only {@code trust}'s certificate. */
  private static String interceptedHttps(String source, String sni, String path, TestTls trust) throws Exception {
    try (VlanClient c = gate.client(source, gate.interceptTls()); SSLSocket s = trust.handshake(c.socket(), sni, sites.port())) {
      return get(s, sni, path);
    }
  }

  /** A CONNECT through the explicit listener, then TLS for {@code sni} trusting only {@code trust}. */
  private static String tunnelledHttps(String source, String connectHost, String sni, String path, TestTls trust)
      throws Exception {
    try (VlanClient c = gate.client(source)) {
      String authority = connectHost + ":" + sites.port();
      assertEquals(200, c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").status());
      try (SSLSocket s = trust.handshake(c.socket(), sni, sites.port())) {
        return get(s, sni, path);
      }
    }
  }

  private static void assertServedBy(UpstreamServer origin, String host, String sni) throws Exception {
    UpstreamServer.Seen seen = origin.take();
    assertEquals(host, seen.headers().get("Host"), "the Host header is the client's");
    assertEquals(sni, seen.sni(), "the server name is the client's");
    for (UpstreamServer other : all) {
      assertEquals(0, other.requestCount(), "one origin only");
    }
  }

  private static AccessRecord accessLine(String client, String host, String listener) {
    return gate.events.awaitAccess(host + " from " + client + " on " + listener,
        a -> a.client().equals(client) && a.host().equals(host) && a.listener().equals(listener));
  }

  // ---- Google: the pupil's search goes to the enforced front end, the staff member's does not ----

  @Test
  void aPupilsInterceptedGoogleSearchReachesTheSafeFrontEndWithItsOwnTlsSession() throws Exception {
    String pupil = "127.0.10.61";
    String body = interceptedHttps(pupil, "www.google.co.uk", "/search?q=volcanoes", googleSafeTls);
    assertEquals("upstream www.google.co.uk /search?q=volcanoes sni=www.google.co.uk", body);
    assertServedBy(googleSafe, "www.google.co.uk", "www.google.co.uk");
    AccessRecord line = accessLine(pupil, "www.google.co.uk", "intercept_tls");
    assertEquals("allow", line.decision());
    assertEquals("forcesafesearch.google.com", line.via());
    String logged = gate.logLines("access.jsonl", 1).stream().filter(l -> l.contains(pupil)).findFirst().orElseThrow();
    assertTrue(logged.contains("\"via\":\"forcesafesearch.google.com\""), logged);
  }

  @Test
  void aStaffMembersGoogleSearchReachesGoogleItself() throws Exception {
    String staff = "127.0.20.61";
    assertEquals("upstream www.google.co.uk /search?q=volcanoes sni=www.google.co.uk",
        interceptedHttps(staff, "www.google.co.uk", "/search?q=volcanoes", sitesTls));
    assertServedBy(sites, "www.google.co.uk", "www.google.co.uk");
    assertNull(accessLine(staff, "www.google.co.uk", "intercept_tls").via());
  }

  @Test
  void aPupilCannotCompleteAHandshakeWithGoogleItself() throws Exception {
    // Trusting only the site's own certificate, the pupil's handshake fails: it was never connected there.
    assertThrows(SSLException.class, () -> interceptedHttps("127.0.10.62", "google.co.uk", "/", sitesTls));
    assertEquals(0, sites.requestCount());
  }

  @Test
  void otherGoogleHostsAreNotRerouted() throws Exception {
    assertEquals("upstream mail.google.com /inbox sni=mail.google.com",
        interceptedHttps("127.0.10.63", "mail.google.com", "/inbox", sitesTls));
    assertServedBy(sites, "mail.google.com", "mail.google.com");
  }

  @Test
  void aConnectTunnelIsReroutedAfterItsHelloIsDecided() throws Exception {
    String pupil = "127.0.10.64";
    assertEquals("upstream www.google.co.uk /search?q=x sni=www.google.co.uk",
        tunnelledHttps(pupil, "www.google.co.uk", "www.google.co.uk", "/search?q=x", googleSafeTls));
    assertServedBy(googleSafe, "www.google.co.uk", "www.google.co.uk");
    assertEquals("forcesafesearch.google.com", accessLine(pupil, "www.google.co.uk", "proxy").via());
  }

  @Test
  void aSearchHostHiddenInATunnelToAnotherGoogleHostIsReroutedOnItsServerName() throws Exception {
    // Google's servers answer for any of its names: the hello's name, not the CONNECT's, decides where it goes.
    assertEquals("upstream www.google.co.uk /search?q=x sni=www.google.co.uk",
        tunnelledHttps("127.0.10.65", "mail.google.com", "www.google.co.uk", "/search?q=x", googleSafeTls));
    assertServedBy(googleSafe, "www.google.co.uk", "www.google.co.uk");
  }

  @Test
  void plainHttpSearchesAreReroutedOnBothHttpListenersAndKeepAliveStaysWithTheFrontEnd() throws Exception {
    String pupil = "127.0.10.66";
    try (VlanClient c = gate.client(pupil, gate.interceptHttp())) {
      for (int i = 0; i < 2; i++) { // one keep-alive connection, two searches: both at the front end
        HttpResult r = c.send("GET /search?q=" + i + " HTTP/1.1\r\nHost: www.google.co.uk\r\n\r\n");
        assertEquals("upstream www.google.co.uk /search?q=" + i, r.body());
        assertServedBy(googleSafeWeb, "www.google.co.uk", null);
      }
      HttpResult mail = c.send("GET /mail HTTP/1.1\r\nHost: mail.google.com\r\n\r\n");
      assertEquals("upstream mail.google.com /mail", mail.body());
      assertServedBy(sitesWeb, "mail.google.com", null);
    }
    try (VlanClient c = gate.client(pupil)) {
      HttpResult r = c.get("http://google.co.uk:" + sitesWeb.port() + "/search?q=explicit");
      assertEquals("upstream google.co.uk:" + sitesWeb.port() + " /search?q=explicit", r.body());
      assertServedBy(googleSafeWeb, "google.co.uk:" + sitesWeb.port(), null);
    }
    assertEquals("forcesafesearch.google.com", accessLine(pupil, "www.google.co.uk", "intercept_http").via());
    assertNull(accessLine(pupil, "mail.google.com", "intercept_http").via());
    assertEquals("forcesafesearch.google.com", accessLine(pupil, "google.co.uk", "proxy").via());
  }

  @Test
  void everyOtherSearchHostOfBingAndDuckDuckGoReachesItsSafeFrontEnd() throws Exception {
    String pupil = "127.0.10.68";
    for (String host : OTHER_SEARCH_HOSTS) {
      try (VlanClient c = gate.client(pupil)) {
        HttpResult r = c.get("http://" + host + ":" + sitesWeb.port() + "/html/?q=explicit");
        assertEquals("upstream " + host + ":" + sitesWeb.port() + " /html/?q=explicit", r.body());
        assertServedBy(googleSafeWeb, host + ":" + sitesWeb.port(), null);
      }
      try (VlanClient c = gate.client(pupil, gate.interceptHttp())) {
        HttpResult r = c.send("GET /search?q=x HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        assertEquals("upstream " + host + " /search?q=x", r.body());
        assertServedBy(googleSafeWeb, host, null);
      }
      String frontEnd = host.endsWith("bing.com") ? "strict.bing.com" : "safe.duckduckgo.com";
      assertEquals(frontEnd, accessLine(pupil, host, "intercept_http").via(), host);
    }
  }

  // ---- YouTube: strict for pupils, moderate for staff, a blocked category stays blocked ----

  @Test
  void youtubeIsStrictForPupilsAllowedItAndModerateForStaffInTheirBreak() throws Exception {
    String pupil = FILM_CLUB;
    assertEquals("upstream www.youtube.com /watch?v=1 sni=www.youtube.com",
        interceptedHttps(pupil, "www.youtube.com", "/watch?v=1", strictTls));
    assertServedBy(youtubeStrict, "www.youtube.com", "www.youtube.com");
    AccessRecord pupilLine = accessLine(pupil, "www.youtube.com", "intercept_tls");
    assertEquals("restrict.youtube.com", pupilLine.via());
    assertTrue(pupilLine.rule().startsWith("override#"), "allowed by the override, and still restricted: " + pupilLine);

    gate.clock.setLondon(ProxyHarness.MONDAY + "T10:35");
    String staff = "127.0.20.67";
    assertEquals("upstream www.youtube.com /watch?v=2 sni=www.youtube.com",
        interceptedHttps(staff, "www.youtube.com", "/watch?v=2", moderateTls));
    assertServedBy(youtubeModerate, "www.youtube.com", "www.youtube.com");
    assertEquals("restrictmoderate.youtube.com", accessLine(staff, "www.youtube.com", "intercept_tls").via());

    String office = "127.0.30.67";
    interceptedHttps(office, "www.youtube.com", "/watch?v=3", sitesTls);
    assertServedBy(sites, "www.youtube.com", "www.youtube.com");
  }

  @Test
  void aBlockedCategoryStaysBlockedAndNoFrontEndIsConnected() throws Exception {
    String pupil = "127.0.10.68";
    assertThrows(SSLException.class, () -> interceptedHttps(pupil, "m.youtube.com", "/", strictTls));
    assertThrows(SSLException.class, () -> interceptedHttps(pupil, "www.youtube.com", "/", strictTls));
    AccessRecord line = accessLine(pupil, "m.youtube.com", "intercept_tls");
    assertEquals("block", line.decision());
    assertEquals("media-sharing", line.category());
    assertNull(line.via());
    String staff = "127.0.20.68"; // in a lesson, staff are blocked from YouTube too
    assertThrows(SSLException.class, () -> interceptedHttps(staff, "www.youtube.com", "/", moderateTls));
    assertEquals("block", accessLine(staff, "www.youtube.com", "intercept_tls").decision());
    for (UpstreamServer o : all) {
      assertEquals(0, o.requestCount());
      assertTrue(!o.sniNames().contains("m.youtube.com"), "no connection was made for the blocked name");
    }
  }

  // ---- the why ----

  @Test
  void theDecisionCheckSaysSafeSearchIsEnforcedAndWhere() throws Exception {
    JsonNode pupil = head.get("/api/decision?client=127.0.10.9&url=https://www.google.co.uk/search").json();
    assertEquals("allow", pupil.get("decision").asText());
    assertEquals("safe search enforced (Google)", pupil.get("enforced").asText());
    assertEquals("forcesafesearch.google.com", pupil.get("via").asText());
    assertEquals("no rule matches this site; safe search enforced (Google)", pupil.get("reason").asText());

    JsonNode video = head.get("/api/decision?client=" + FILM_CLUB + "&host=www.youtube.com").json();
    assertTrue(video.get("reason").asText().endsWith("; restricted mode enforced (YouTube, strict)"), video.toString());
    assertEquals("restrict.youtube.com", video.get("via").asText());

    JsonNode staff = head.get("/api/decision?client=127.0.20.9&url=https://www.google.co.uk/search").json();
    assertTrue(staff.get("enforced").isNull(), staff.toString());
    assertTrue(staff.get("via").isNull(), staff.toString());
    assertEquals("no rule matches this site", staff.get("reason").asText());
  }
}
