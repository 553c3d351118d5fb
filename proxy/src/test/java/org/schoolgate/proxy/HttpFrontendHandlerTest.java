package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP front end on an EmbeddedChannel, as the listener builds it (head deadline, codec,
 * frontend): recorded bytes in, bytes out, time moved by the test. Refusals need no upstream,
 * so nothing here touches a socket.
 */
class HttpFrontendHandlerTest {
  @TempDir
  Path dir;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(dir, y -> y);
  }

  private Fixture.Device device(String ip) throws Exception {
    HttpFrontendHandler frontend = new HttpFrontendHandler(f.px, ListenerKind.PROXY, 80);
    return f.device(ip, ListenerKind.PROXY, frontend.headDeadline(), new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(ProxyInitializer.MAX_LINE).setMaxHeaderSize(ProxyInitializer.MAX_HEADERS)), frontend);
  }

  private static void send(Fixture.Device ch, String raw) {
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    ch.runPendingTasks();
  }

  private static String out(Fixture.Device ch) {
    StringBuilder b = new StringBuilder();
    for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
      b.append(buf.toString(StandardCharsets.ISO_8859_1));
      buf.release();
    }
    return b.toString();
  }

  @Test
  void aBlockedRequestGetsTheBlockPageAndTheConnectionStaysOpen() throws Exception {
    Fixture.Device ch = device(Fixture.PUPIL);
    send(ch, "GET http://www.facebook.com/ HTTP/1.1\r\nHost: www.facebook.com\r\n\r\n");
    String response = out(ch);
    assertTrue(response.startsWith("HTTP/1.1 403"), response);
    assertTrue(response.contains("X-Schoolgate-Category: social") || response.contains("x-schoolgate-category: social"), response);
    assertTrue(ch.isActive(), "keep-alive: the next request may follow");
    assertEquals("block", f.access.get(0).decision());
    assertEquals(403, f.access.get(0).status());
    ch.finishAndReleaseAll();
  }

  @Test
  void aCircumventionRefusalIsSentOnlyAfterItsEventIsRecorded() throws Exception {
    Fixture.Device ch = device(Fixture.PUPIL);
    send(ch, "GET http://nordvpn.com/ HTTP/1.1\r\nHost: nordvpn.com\r\n\r\n");
    assertTrue(out(ch).startsWith("HTTP/1.1 403"));
    assertEquals(1, f.events.size());
    assertEquals("circumvention-site", f.events.get(0).kind());
    ch.finishAndReleaseAll();
  }

  @Test
  void thousandsOfPipelinedBlockedRequestsAreAnsweredInALoopNotARecursion() throws Exception {
    Fixture.Device ch = device(Fixture.PUPIL);
    String one = "GET http://www.facebook.com/ HTTP/1.1\r\nHost: www.facebook.com\r\n\r\n";
    // Behind a circumvention attempt (whose page waits for its event), all of them queue up, and
    // are answered when the event is written.
    send(ch, "GET http://nordvpn.com/ HTTP/1.1\r\nHost: nordvpn.com\r\n\r\n" + one.repeat(20000));
    String out = out(ch);
    int pages = 0;
    for (int i = out.indexOf("HTTP/1.1 403"); i >= 0; i = out.indexOf("HTTP/1.1 403", i + 1)) {
      pages++;
    }
    assertEquals(20001, pages, "one block page per request, in order");
    assertTrue(ch.isActive());
    ch.finishAndReleaseAll();
  }

  @Test
  void twoTransferEncodingFieldsGet400AndAClose() throws Exception {
    Fixture.Device ch = device(Fixture.STAFF);
    send(ch, "POST http://example.org/ HTTP/1.1\r\nHost: example.org\r\nTransfer-Encoding: chunked\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assertTrue(out(ch).startsWith("HTTP/1.1 400"));
    assertFalse(ch.isActive());
    ch.finishAndReleaseAll();
  }

  @Test
  void aHeadDrippedPastTheDeadlineGets408OnTheTestsClock() throws Exception {
    Fixture.Device ch = device(Fixture.PUPIL);
    send(ch, "GET http://example.org/ HTTP/1.1\r\n");
    for (int i = 0; i < 29; i++) {
      ch.advanceTimeBy(1, TimeUnit.SECONDS);
      send(ch, "X-" + i + ": a\r\n"); // each byte would reset an idle timer; not this one
      ch.runScheduledPendingTasks();
      assertTrue(ch.isActive(), "still inside the deadline after " + (i + 1) + " s");
    }
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(out(ch).startsWith("HTTP/1.1 408"));
    assertFalse(ch.isActive());
    assertEquals(1, f.px.stats.refusals(ProxyStats.Limit.REQUEST_HEAD_TIMEOUT));
    ch.finishAndReleaseAll();
  }

  @Test
  void anIdleKeepAliveConnectionIsNotTheHeadDeadlinesBusiness() throws Exception {
    Fixture.Device ch = device(Fixture.PUPIL);
    send(ch, "GET http://www.facebook.com/ HTTP/1.1\r\nHost: www.facebook.com\r\n\r\n");
    assertTrue(out(ch).startsWith("HTTP/1.1 403"));
    ch.advanceTimeBy(5, TimeUnit.MINUTES);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isActive(), "no head has started, so no deadline runs");
    assertNull(ch.readOutbound());
    ch.finishAndReleaseAll();
  }
}
