package org.schoolgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.RawOrigin;
import org.schoolgate.e2e.support.VlanClient;

/**
 * Request smuggling and broken message framing, as a hostile pupil sends them: raw bytes in at
 * both HTTP listeners, and what the origin received checked byte for byte. The message sent on
 * must be framed exactly as it was read, and a message that cannot be read to its end must
 * never reach the origin as complete.
 */
class FramingTest {
  @TempDir
  static Path dir;
  static RawOrigin origin;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    origin = new RawOrigin(line -> line.startsWith("GET /hostile-response")
        // An origin that lists Content-Length in Connection: the client must still get the length.
        ? "HTTP/1.1 200 OK\r\nConnection: content-length\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1)
        : RawOrigin.ok("origin " + line));
    gate = new ProxyHarness(dir, origin.port(), 443, yaml -> yaml.replace("supervision: lockdown", "supervision: flag"));
  }

  @AfterAll
  static void stop() throws Exception {
    gate.close();
    origin.close();
  }

  private static InetSocketAddress listener(String name) {
    return name.equals("proxy") ? gate.proxy() : gate.interceptHttp();
  }

  private String host() {
    return "www.bbc.co.uk:" + origin.port();
  }

  /** The reproduction: Content-Length named in Connection, and a second request hidden in the body. */
  @ParameterizedTest
  @ValueSource(strings = {"proxy", "intercept_http"})
  void contentLengthListedInConnectionIsKeptSoTheBodyCannotBecomeARequest(String name) throws Exception {
    String hidden = "GET /smuggled HTTP/1.1\r\nHost: www.facebook.com\r\nX: y\r\n\r\n";
    String first = "POST /a-" + name + " HTTP/1.1\r\nHost: " + host() + "\r\nConnection: content-length\r\nContent-Length: "
        + hidden.length() + "\r\n\r\n";
    String second = "GET /b-" + name + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n";
    int before = origin.received().length();
    try (VlanClient c = gate.client(VlanClient.freshPupil(), listener(name))) {
      c.write(first + hidden + second);
      HttpResult a = c.read();
      HttpResult b = c.read();
      assertEquals(200, a.status());
      assertEquals("origin POST /a-" + name + " HTTP/1.1", a.body());
      assertEquals(200, b.status());
      assertEquals("origin GET /b-" + name + " HTTP/1.1", b.body());
    }
    String sent = origin.received().substring(before);
    assertEquals("POST /a-" + name + " HTTP/1.1\r\nHost: " + host() + "\r\nContent-Length: " + hidden.length() + "\r\n\r\n"
        + hidden + second, sent, "what the origin received, byte for byte");
    assertFalse(origin.requestLines().stream().anyMatch(l -> l.contains("/smuggled")), origin.requestLines().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"transfer-encoding", "host", "content-length, transfer-encoding, host"})
  void noFramingHeaderCanBeRemovedThroughConnection(String listed) throws Exception {
    int before = origin.received().length();
    String body = "5\r\nhello\r\n0\r\n\r\n";
    try (VlanClient c = gate.client(VlanClient.freshPupil())) {
      HttpResult r = c.send("POST /chunked HTTP/1.1\r\nHost: " + host() + "\r\nConnection: " + listed
          + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
      assertEquals(200, r.status());
    }
    assertEquals("POST /chunked HTTP/1.1\r\nHost: " + host() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body,
        origin.received().substring(before));
  }

  @Test
  void anOriginsContentLengthListedInConnectionStillFramesTheResponse() throws Exception {
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      HttpResult r = c.send("GET /hostile-response HTTP/1.1\r\nHost: " + host() + "\r\n\r\n");
      assertEquals(200, r.status());
      assertEquals("5", r.header("content-length"));
      assertEquals("hello", r.body());
      // The connection is still in step: a second request gets its own answer.
      HttpResult next = c.send("GET /after HTTP/1.1\r\nHost: " + host() + "\r\n\r\n");
      assertEquals("origin GET /after HTTP/1.1", next.body());
    }
  }

  /** Chunked bodies that break part-way: the origin must never see them completed. */
  @ParameterizedTest
  @ValueSource(strings = {
      "5\r\nhello\r\nzz\r\n",                              // a chunk size that is not hex
      "5\r\nhello\r\nffffffffffffffffffff\r\n",            // a chunk size that overflows
      "5\nhello\n0\n\n",                                   // bare LF line ends
      "5\r\nhelloXX\r\n0\r\n\r\n"})                         // chunk data longer than its size
  void aBrokenChunkedBodyIsNeverForwardedAsComplete(String body) throws Exception {
    String path = "/broken-" + Integer.toHexString(body.hashCode());
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      c.write("POST " + path + " HTTP/1.1\r\nHost: " + host() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
      HttpResult r = c.read();
      assertEquals(400, r.status());
      assertTrue(c.closedByPeer(), "the connection is closed after a broken body");
    }
    // Nothing that follows can be in flight any more: prove it with a fresh request, then look.
    try (VlanClient c = gate.client(VlanClient.STAFF)) {
      assertEquals(200, c.send("GET /after-broken HTTP/1.1\r\nHost: " + host() + "\r\n\r\n").status());
    }
    assertFalse(origin.requestLines().stream().anyMatch(l -> l.contains(path)),
        "the origin never saw a complete " + path + ": " + origin.requestLines());
  }

  @Test
  void twoTransferEncodingHeadersAreRefusedLikeOneCombinedHeader() throws Exception {
    int requests = origin.requestLines().size();
    try (VlanClient c = gate.client(VlanClient.freshPupil())) {
      HttpResult r = c.send("POST /two-te HTTP/1.1\r\nHost: " + host() + "\r\nTransfer-Encoding: chunked\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      assertEquals(400, r.status());
    }
    assertEquals(requests, origin.requestLines().size(), "nothing reached the origin");
  }

  @Test
  void aBrokenResponseBodyEndsTheClientConnectionInsteadOfCompletingIt() throws Exception {
    try (RawOrigin liar = new RawOrigin(line ->
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n".getBytes(StandardCharsets.ISO_8859_1));
         VlanClient c = gate.client(VlanClient.STAFF)) {
      c.write("GET http://www.bbc.co.uk:" + liar.port() + "/liar HTTP/1.1\r\nHost: www.bbc.co.uk:" + liar.port() + "\r\n\r\n");
      String head = readHead(c);
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      String rest = new String(c.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertFalse(rest.contains("0\r\n\r\n"), "the client was never sent a last chunk: " + rest);
      List<String> lines = gate.logLines("access.jsonl", 1);
      Await.until("an access line for /liar", () -> gate.logLines("access.jsonl", 1).stream()
          .anyMatch(l -> l.contains("/liar") && l.contains("\"aborted\":\"upstream-malformed\"")));
      assertFalse(lines.isEmpty());
    }
  }

  private static String readHead(VlanClient c) throws Exception {
    StringBuilder b = new StringBuilder();
    var in = c.socket().getInputStream();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int ch = in.read();
      if (ch < 0) {
        break;
      }
      b.append((char) ch);
    }
    return b.toString();
  }
}
