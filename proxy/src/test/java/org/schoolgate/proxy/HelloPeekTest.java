package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intercepted-TLS peek on an EmbeddedChannel: recorded hellos in, alerts and closes out, the hello timeout on the test's clock. */
class HelloPeekTest {
  private static final byte[] ACCESS_DENIED = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31};

  @TempDir
  Path dir;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(dir, y -> y);
  }

  private Fixture.Device device(String ip) throws Exception {
    return f.device(ip, ListenerKind.INTERCEPT_TLS, new TlsPeekHandler(f.px, InetAddress.getByName(ip)));
  }

  /** A minimal TLS 1.2 ClientHello record naming {@code host}. */
  static byte[] hello(String host) {
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    ByteBuf sni = Unpooled.buffer();
    sni.writeShort(name.length + 3).writeByte(0).writeShort(name.length).writeBytes(name);
    ByteBuf ext = Unpooled.buffer();
    ext.writeShort(0).writeShort(sni.readableBytes()).writeBytes(sni);
    ByteBuf body = Unpooled.buffer();
    body.writeShort(0x0303).writeZero(32).writeByte(0).writeShort(2).writeShort(0x002f).writeByte(1).writeByte(0)
        .writeShort(ext.readableBytes()).writeBytes(ext);
    ByteBuf hs = Unpooled.buffer();
    hs.writeByte(1).writeMedium(body.readableBytes()).writeBytes(body);
    ByteBuf rec = Unpooled.buffer();
    rec.writeByte(22).writeShort(0x0301).writeShort(hs.readableBytes()).writeBytes(hs);
    byte[] out = ByteBufUtil.getBytes(rec);
    for (ByteBuf b : new ByteBuf[] {sni, ext, body, hs, rec}) {
      b.release();
    }
    return out;
  }

  @Test
  void aHelloForABlockedNameGetsAnAlertAndNoUpstream() throws Exception {
    Fixture.Device ch = device(Fixture.PUPIL);
    byte[] h = hello("www.facebook.com");
    // split across two reads, as a hello may arrive
    ch.writeInbound(Unpooled.wrappedBuffer(h, 0, 10));
    assertTrue(ch.isActive(), "waits for the rest of the hello");
    ch.writeInbound(Unpooled.wrappedBuffer(h, 10, h.length - 10));
    ch.runPendingTasks();
    ByteBuf alert = ch.readOutbound();
    assertArrayEquals(ACCESS_DENIED, ByteBufUtil.getBytes(alert));
    alert.release();
    assertFalse(ch.isActive());
    assertEquals("www.facebook.com", f.access.get(0).host());
    assertEquals("block", f.access.get(0).decision());
    assertEquals(1, f.px.stats.hellos(ProxyStats.Hello.FOUND));
    ch.finishAndReleaseAll();
  }

  @Test
  void noHelloWithinTheTimeoutIsANotTlsAttemptOnTheTestsClock() throws Exception {
    Fixture.Device ch = device(Fixture.PUPIL);
    ch.advanceTimeBy(9, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isActive(), "inside the 10 s");
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    ch.runPendingTasks();
    assertFalse(ch.isActive());
    assertEquals("not-tls", f.events.get(0).kind());
    assertEquals(1, f.px.stats.hellos(ProxyStats.Hello.TIMEOUT));
    ch.finishAndReleaseAll();
  }

  @Test
  void bytesThatAreNotTlsAreRefusedWithoutAnAlert() throws Exception {
    Fixture.Device ch = device(Fixture.PUPIL);
    ch.writeInbound(Unpooled.copiedBuffer("SSH-2.0-OpenSSH_9.6\r\n", StandardCharsets.US_ASCII));
    ch.runPendingTasks();
    assertFalse(ch.isActive());
    assertTrue(ch.outboundMessages().isEmpty(), "an alert is for TLS clients only");
    assertEquals(1, f.px.stats.hellos(ProxyStats.Hello.NONE));
    ch.finishAndReleaseAll();
  }

  @Test
  void aClientThatHangsUpFirstIsLoggedWithoutAnEvent() throws Exception {
    Fixture.Device ch = device(Fixture.PUPIL);
    ch.close();
    assertEquals(499, f.access.get(0).status());
    assertTrue(f.events.isEmpty());
    assertEquals(1, f.px.stats.hellos(ProxyStats.Hello.CLOSED));
    ch.finishAndReleaseAll();
  }
}
