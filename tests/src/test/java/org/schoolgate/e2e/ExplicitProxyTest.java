package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;
import org.schoolgate.log.AccessRecord;

/** The explicit proxy listener over real sockets: the school's policy, per group and per time of day. */
class ExplicitProxyTest {
  @TempDir
  static Path dir;
  static UpstreamServer web;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    web = UpstreamServer.http();
    gate = new ProxyHarness(dir, web.port(), 443, yaml -> yaml);
  }

  @AfterAll
  static void stop() {
    gate.close();
    web.close();
  }

  @BeforeEach
  void lessonTime() {
    gate.clock.setLondon(ProxyHarness.MONDAY + "T11:00");
  }

  private String url(String host, String path) {
    return "http://" + host + ":" + web.port() + path;
  }

  private HttpResult get(String source, String host, String path) throws IOException {
    try (VlanClient c = gate.client(source)) {
      return c.get(url(host, path));
    }
  }

  @Test
  void pupilIsBlockedFromSocialNetworkingWithAChildFriendlyPage() throws Exception {
    HttpResult r = get(VlanClient.PUPIL, "www.facebook.com", "/profile");
    assertEquals(403, r.status());
    assertEquals("social", r.header("X-Schoolgate-Category"));
    assertTrue(r.header("Content-Type").startsWith("text/html"));
    assertTrue(r.body().contains("www.facebook.com"), r.body());
    assertTrue(r.body().contains("social networking"), r.body());
    assertTrue(r.body().contains("reference"), r.body());
    assertTrue(r.body().contains("Monday 23 November 2026, 11:00"), r.body());
    AccessRecord line = gate.events.awaitAccess("facebook block", a -> a.host().equals("www.facebook.com") && a.path().equals("/profile"));
    assertEquals("block", line.decision());
    assertEquals("pupils", line.group());
    assertEquals("social:facebook.com", line.rule());
    assertEquals(403, line.status());
    assertTrue(r.body().contains(line.ref()), "the page shows the reference in the access line");
  }

  @Test
  void everyPupilCategoryIsBlocked() throws Exception {
    assertEquals("forums", get(VlanClient.PUPIL, "www.reddit.com", "/").header("X-Schoolgate-Category"));
    assertEquals("chat", get(VlanClient.PUPIL, "discord.com", "/").header("X-Schoolgate-Category"));
    assertEquals("media-sharing", get(VlanClient.PUPIL, "www.youtube.com", "/").header("X-Schoolgate-Category"));
    assertEquals("microblogging", get(VlanClient.PUPIL, "x.com", "/").header("X-Schoolgate-Category"));
    assertEquals(0, web.requestCount(), "nothing blocked reached the upstream");
  }

  @Test
  void pupilReachesAnOrdinarySiteAndTheSchoolWideAllow() throws Exception {
    HttpResult r = get(VlanClient.PUPIL, "www.bbc.co.uk", "/news");
    assertEquals(200, r.status());
    assertEquals("upstream www.bbc.co.uk:" + web.port() + " /news", r.body());
    assertEquals("/news", web.take().uri());
    assertEquals(200, get(VlanClient.PUPIL, "classroom.google.com", "/").status());
    web.take();
    AccessRecord line = gate.events.awaitAccess("bbc allow", a -> a.host().equals("www.bbc.co.uk"));
    assertEquals("allow", line.decision());
    assertNull(line.category());
    assertEquals(200, line.status());
    assertTrue(line.bytesDown() > 0);
  }

  @Test
  void suffixMatchingRespectsLabelBoundaries() throws Exception {
    assertEquals(403, get(VlanClient.PUPIL, "m.facebook.com", "/").status());
    assertEquals(200, get(VlanClient.PUPIL, "notfacebook.com", "/").status());
    web.take();
  }

  @Test
  void staffAreBlockedInLessonsWithTheReopeningTimeAndAllowedInBreaks() throws Exception {
    HttpResult lesson = get(VlanClient.STAFF, "www.facebook.com", "/");
    assertEquals(403, lesson.status());
    assertTrue(lesson.body().contains("from <strong>12:00</strong>"), "says when the lesson ends: " + lesson.body());
    gate.clock.setLondon(ProxyHarness.MONDAY + "T10:35");
    assertEquals(200, get(VlanClient.STAFF, "www.facebook.com", "/").status());
    web.take();
    gate.clock.setLondon(ProxyHarness.MONDAY + "T12:59");
    assertEquals(200, get(VlanClient.STAFF, "www.facebook.com", "/").status());
    web.take();
    gate.clock.setLondon(ProxyHarness.MONDAY + "T13:00");
    HttpResult afternoon = get(VlanClient.STAFF, "www.facebook.com", "/");
    assertEquals(403, afternoon.status());
    assertTrue(afternoon.body().contains("from <strong>15:15</strong>"), afternoon.body());
    gate.clock.setLondon("2026-11-28T11:00"); // Saturday
    assertEquals(200, get(VlanClient.STAFF, "www.facebook.com", "/").status());
    web.take();
  }

  @Test
  void pupilsStayBlockedInBreaks() throws Exception {
    gate.clock.setLondon(ProxyHarness.MONDAY + "T10:35");
    assertEquals(403, get(VlanClient.PUPIL, "www.facebook.com", "/").status());
  }

  @Test
  void officeReachesSocialMediaInLessons() throws Exception {
    assertEquals(200, get(VlanClient.OFFICE, "www.facebook.com", "/").status());
    web.take();
  }

  @Test
  void aDeviceInNoNetworkIsTreatedAsAPupil() throws Exception {
    assertEquals(403, get(VlanClient.UNKNOWN, "www.facebook.com", "/").status());
    assertEquals("pupils", gate.events.awaitAccess("unknown device", a -> a.client().equals(VlanClient.UNKNOWN)).group());
  }

  @Test
  void everyRequestOnAKeepAliveConnectionIsDecidedOnItsOwn() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      assertEquals(200, c.get(url("www.bbc.co.uk", "/1")).status());
      assertEquals(403, c.get(url("www.facebook.com", "/2")).status());
      assertEquals(200, c.get(url("www.bbc.co.uk", "/3")).status());
      assertEquals(200, c.get(url("example.org", "/4")).status());
      assertEquals(403, c.get(url("x.com", "/5")).status());
    }
    assertEquals("/1", web.take().uri());
    assertEquals("/3", web.take().uri());
    assertEquals("/4", web.take().uri());
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      String host = "www.bbc.co.uk:" + web.port();
      c.write("GET http://" + host + "/a HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
          + "GET http://www.facebook.com:" + web.port() + "/b HTTP/1.1\r\nHost: www.facebook.com\r\n\r\n"
          + "GET http://" + host + "/c HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      assertTrue(c.read().body().endsWith("/a"));
      assertEquals(403, c.read().status());
      assertTrue(c.read().body().endsWith("/c"));
    }
    web.take();
    web.take();
  }

  @Test
  void hopByHopHeadersAreDroppedAndTheRestPassUnchanged() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      String host = "example.org:" + web.port();
      HttpResult r = c.send("GET http://" + host + "/h?q=1 HTTP/1.1\r\nHost: " + host + "\r\n"
          + "Proxy-Connection: keep-alive\r\nConnection: keep-alive, X-Secret\r\nX-Secret: drop-me\r\n"
          + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Custom: kept\r\nCookie: a=b\r\n\r\n");
      assertEquals(200, r.status());
      assertEquals("yes", r.header("X-Upstream"));
      assertNull(r.header("Keep-Alive"), "the upstream's Keep-Alive header is hop-by-hop");
    }
    UpstreamServer.Seen seen = web.take();
    assertEquals("/h?q=1", seen.uri(), "absolute-form is rewritten to origin-form");
    assertFalse(seen.headers().contains("Proxy-Connection"));
    assertFalse(seen.headers().contains("X-Secret"));
    assertFalse(seen.headers().contains("Proxy-Authorization"));
    assertEquals("kept", seen.headers().get("X-Custom"));
    assertEquals("a=b", seen.headers().get("Cookie"));
    assertEquals("example.org:" + web.port(), seen.headers().get("Host"));
  }

  @Test
  void theUpstreamSeesTheDecidedHostNeverAnotherOneSlippedIn() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      HttpResult fronted = c.send("GET http://example.org:" + web.port() + "/front HTTP/1.1\r\nHost: www.facebook.com\r\n\r\n");
      assertEquals(200, fronted.status());
      assertEquals("upstream example.org:" + web.port() + " /front", fronted.body());
      HttpResult twoHosts = c.send("GET /two HTTP/1.1\r\nHost: example.org:" + web.port() + "\r\nHost: www.facebook.com\r\n\r\n");
      assertEquals(400, twoHosts.status());
    }
    assertEquals("example.org:" + web.port(), web.take().headers().get("Host"));
  }

  @Test
  void transferEncodingsOtherThanChunkedAreRefused() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      HttpResult r = c.send("POST http://example.org:" + web.port() + "/te HTTP/1.1\r\nHost: example.org\r\n"
          + "Transfer-Encoding: gzip\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: example.org\r\n\r\n");
      assertEquals(501, r.status());
    }
    assertEquals(0, web.requestCount(), "nothing reached the upstream");
  }

  @Test
  void requestBodiesAreRelayed() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      String host = "example.org:" + web.port();
      HttpResult r = c.send("POST http://" + host + "/form HTTP/1.1\r\nHost: " + host
          + "\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world");
      assertEquals(200, r.status());
      HttpResult chunked = c.send("POST http://" + host + "/chunks HTTP/1.1\r\nHost: " + host
          + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n there\r\n0\r\n\r\n");
      assertEquals(200, chunked.status());
    }
    assertEquals("hello world", web.take().body());
    assertEquals("hello there", web.take().body());
    AccessRecord line = gate.events.awaitAccess("form post", a -> "/form".equals(a.path()));
    assertEquals(11, line.bytesUp());
  }

  @Test
  void aBlockedPostIsRefusedWithoutReachingUpstreamAndTheConnectionStaysUsable() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      HttpResult r = c.send("POST http://www.facebook.com:" + web.port() + "/upload HTTP/1.1\r\nHost: www.facebook.com\r\n"
          + "Content-Length: 5\r\n\r\nhello");
      assertEquals(403, r.status());
      assertEquals(200, c.get(url("www.bbc.co.uk", "/after")).status());
    }
    assertEquals("/after", web.take().uri());
  }

  @Test
  void aLargeResponseStreamsThrough() throws Exception {
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      HttpResult r = c.get(url("www.bbc.co.uk", "/big?bytes=5000000"));
      assertEquals(200, r.status());
      assertEquals(5_000_000, r.body().length());
    }
    web.take();
  }

  @Test
  void theAccessLogFileHasEveryField() throws Exception {
    get(VlanClient.PUPIL, "www.facebook.com", "/logged");
    String line = gate.logLines("access.jsonl", 1).stream().filter(l -> l.contains("/logged")).findFirst()
        .orElseGet(() -> org.schoolgate.testing.Await.value("logged line", () -> gate.logLines("access.jsonl", 1)
            .stream().filter(l -> l.contains("/logged")).findFirst().orElse(null)));
    for (String field : new String[] {"\"ts\":\"2026-11-23T11:00:00.000+00:00\"", "\"client\":\"127.0.10.5\"",
        "\"group\":\"pupils\"", "\"listener\":\"proxy\"", "\"method\":\"GET\"", "\"host\":\"www.facebook.com\"",
        "\"port\":" + web.port(), "\"path\":\"/logged\"", "\"decision\":\"block\"", "\"category\":\"social\"",
        "\"rule\":\"social:facebook.com\"", "\"status\":403", "\"bytes_up\":0", "\"bytes_down\":", "\"ms\":"}) {
      assertTrue(line.contains(field), field + " in " + line);
    }
  }
}
