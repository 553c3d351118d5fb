package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.Access;

/**
 * The peek inside an allowed CONNECT to 443, on an EmbeddedChannel: what the tunnel carries is
 * decided before any upstream exists, so a refusal here never touches a socket.
 */
class ConnectPeekHandlerTest {
  @TempDir
  Path dir;
  Fixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(dir, y -> y);
  }

  /** A tunnel to www.bbc.co.uk:443 that the CONNECT's own decision allowed, as TunnelOpener hands it over. */
  private Fixture.Device tunnel(String ip) throws Exception {
    Exchange exchange = new Exchange(InetAddress.getByName(ip), "CONNECT", ListenerKind.PROXY);
    exchange.target = new Target("www.bbc.co.uk", 443, "/", "www.bbc.co.uk");
    exchange.decision = f.px.engine.decide(exchange.client, "www.bbc.co.uk", 443, Access.CONNECT);
    assertTrue(exchange.decision.allowed());
    return f.device(ip, ListenerKind.PROXY, new ConnectPeekHandler(f.px, exchange));
  }

  @Test
  void aHelloForABlockedSiteInsideAnAllowedTunnelIsClosedWithoutAnAlert() throws Exception {
    Fixture.Device ch = tunnel(Fixture.PUPIL);
    ch.writeInbound(Unpooled.wrappedBuffer(HelloPeekTest.hello("www.facebook.com")));
    ch.runPendingTasks();
    assertFalse(ch.isActive());
    assertTrue(ch.outboundMessages().isEmpty(), "a refused tunnel is just closed");
    assertEquals("block", f.access.get(0).decision());
    assertEquals("social", f.access.get(0).category());
    ch.finishAndReleaseAll();
  }

  @Test
  void somethingOtherThanTlsInATunnelTo443IsANotTlsAttempt() throws Exception {
    Fixture.Device ch = tunnel(Fixture.PUPIL);
    ch.writeInbound(Unpooled.copiedBuffer("SSH-2.0-OpenSSH_9.6\r\n", StandardCharsets.US_ASCII));
    ch.runPendingTasks();
    assertFalse(ch.isActive());
    assertEquals("not-tls", f.events.get(0).kind());
    assertTrue(f.events.get(0).detail().contains("not TLS in a tunnel to www.bbc.co.uk:443"), f.events.get(0).detail());
    ch.finishAndReleaseAll();
  }

  @Test
  void silenceInATunnelIsDecidedAtTheHelloTimeoutOnTheTestsClock() throws Exception {
    Fixture.Device ch = tunnel(Fixture.PUPIL);
    ch.advanceTimeBy(9, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isActive());
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    ch.runPendingTasks();
    assertFalse(ch.isActive());
    assertEquals(1, f.px.stats.hellos(ProxyStats.Hello.TIMEOUT));
    ch.finishAndReleaseAll();
  }
}
