package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;

/**
 * A client that half-closes (SHUT_WR) after sending its request, as {@code printf 'GET ...' | ncat}
 * does, gets its answer, and then the connection closes: on the explicit listener and on the
 * intercepted-HTTP listener, for an allowed request, a refused one, and pipelined requests.
 */
class HalfCloseTest {
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

  /** Sends {@code request}, half-closes, and reads everything until the proxy closes (or the socket's 15 s timeout). */
  private static String sendAndHalfClose(String source, InetSocketAddress listener, String request) throws IOException {
    try (VlanClient c = gate.client(source, listener)) {
      c.write(request);
      c.socket().shutdownOutput();
      try {
        return new String(c.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError("the proxy neither answered and closed within 15 s of the half-close", e);
      }
    }
  }

  private static String get(String authority, String path) {
    return "GET http://" + authority + path + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
  }

  @Test
  void anAllowedRequestOnTheExplicitListenerIsAnsweredThenClosed() throws Exception {
    String answer = sendAndHalfClose(VlanClient.STAFF, gate.proxy(), get("www.example.org:" + web.port(), "/half"));
    assertTrue(answer.startsWith("HTTP/1.1 200"), "answered: " + answer);
    assertTrue(answer.endsWith("/half"), "the whole body, then the close: " + answer);
  }

  @Test
  void anAllowedRequestOnTheInterceptListenerIsAnsweredThenClosed() throws Exception {
    String answer = sendAndHalfClose(VlanClient.PUPIL, gate.interceptHttp(),
        "GET /intercepted HTTP/1.1\r\nHost: www.example.org\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), "answered: " + answer);
    assertTrue(answer.endsWith("/intercepted"), "the whole body, then the close: " + answer);
  }

  @Test
  void aRefusedRequestGetsItsBlockPageThenTheClose() throws Exception {
    String answer = sendAndHalfClose(VlanClient.PUPIL, gate.proxy(), get("www.facebook.com", "/"));
    assertTrue(answer.startsWith("HTTP/1.1 403"), "answered: " + answer);
    assertTrue(answer.contains("X-Schoolgate-Category: social") || answer.contains("x-schoolgate-category: social"),
        answer);
  }

  @Test
  void pipelinedRequestsAreAllAnsweredBeforeTheClose() throws Exception {
    String authority = "www.example.org:" + web.port();
    String answer = sendAndHalfClose(VlanClient.STAFF, gate.proxy(),
        get(authority, "/one") + get("www.facebook.com", "/") + get(authority, "/two"));
    int first = answer.indexOf("HTTP/1.1 200");
    int second = answer.indexOf("HTTP/1.1 200", first + 1);
    assertTrue(first == 0 && second > 0, "two answers: " + answer);
    assertTrue(answer.endsWith("/two"), "the last answer whole, then the close: " + answer);
    assertEquals(3, answer.split("HTTP/1\\.1 ", -1).length - 1, "three answers: " + answer);
  }
}
