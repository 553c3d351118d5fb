package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.ca.LeafMinter;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.values.Cidr;

/**
 * The HTTPS block page on EmbeddedChannels (SPEC section 9): a real JDK TLS client, pumped
 * against the listener's handlers, completes the handshake with a leaf the test's CA signed and
 * reads the block page; outside the managed network, without a name, or past the handshake
 * budget, the connection is refused as before. Leaves are signed on the calling thread here.
 */
class HttpsBlockPageTest {
  private static final byte[] ACCESS_DENIED = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31};
  private static final SchoolCa CA = SchoolCa.create("test school CA", Clock.systemUTC());
  /** Managed devices: the pupils' 10.10.1.0/24 only; 10.10.2.2 is a pupil too, but unmanaged. */
  private static final String UNMANAGED_PUPIL = "10.10.2.2";

  /** BoringSSL where it loads; {@code -Dschoolgate.tls.provider=jdk} runs the same tests on the JDK's TLS. */
  static final org.schoolgate.config.Config.TlsProvider PROVIDER = org.schoolgate.config.Config.TlsProvider.valueOf(
      System.getProperty("schoolgate.tls.provider", "auto").toUpperCase(java.util.Locale.ROOT));

  @TempDir
  Path dir;
  Fixture f;
  /** The handshake budget's clock, moved by the test. */
  volatile Instant now = Fixture.LESSON;

  @BeforeEach
  void setUp() throws Exception {
    HttpsBlockPage page = new HttpsBlockPage(List.of(Cidr.parse("10.10.1.0/24")),
        new LeafMinter(CA, Clock.systemUTC()), () -> now, Runnable::run, BlockPageProvider.choose(PROVIDER),
        HandshakeBudget.ALL_PER_SECOND);
    f = new Fixture(dir, y -> y, page);
  }

  private Fixture.Device tlsDevice(String ip) throws Exception {
    return f.device(ip, ListenerKind.INTERCEPT_TLS, new TlsPeekHandler(f.px, InetAddress.getByName(ip)));
  }

  /** The explicit listener's pipeline, with ProxyInitializer's names (a CONNECT's peek removes the codec by name). */
  private Fixture.Device proxyDevice(String ip) throws Exception {
    return f.device(ip, ListenerKind.PROXY, new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        HttpFrontendHandler frontend = new HttpFrontendHandler(f.px, ListenerKind.PROXY, 80);
        ch.pipeline().addLast(HeadDeadline.NAME, frontend.headDeadline())
            .addLast(ProxyInitializer.HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()))
            .addLast("frontend", frontend);
      }
    });
  }

  /** Sends a CONNECT for {@code host}:443 and returns the start of the answer. */
  private static String connect(Fixture.Device device, String host) {
    device.writeInbound(Unpooled.copiedBuffer("CONNECT " + host + ":443 HTTP/1.1\r\nHost: " + host + ":443\r\n\r\n",
        StandardCharsets.ISO_8859_1));
    device.runPendingTasks();
    ByteBuf answer = device.readOutbound();
    String text = answer.toString(StandardCharsets.ISO_8859_1);
    answer.release();
    return text;
  }

  /** The client's ClientHello to {@code device}, which answers as before: an access_denied alert, then the close. */
  private static void assertRefusedAsBefore(TlsClient client, Fixture.Device device) {
    device.writeInbound(client.hello());
    device.runPendingTasks();
    ByteBuf alert = device.readOutbound();
    assertArrayEquals(ACCESS_DENIED, ByteBufUtil.getBytes(alert));
    alert.release();
    assertFalse(device.isActive());
    assertNull(device.pipeline().get(SslHandler.class));
  }

  private static FullHttpResponse get(TlsClient client, Fixture.Device device, String host, boolean close) {
    DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/feed?x=1");
    req.headers().set(HttpHeaderNames.HOST, host);
    if (close) {
      req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    client.writeOutbound(req);
    client.pump(device);
    return client.readInbound();
  }

  @Test
  void aBlockedNameOnTheTlsListenerIsCompletedWithALeafForItAndEveryRequestGetsTheBlockPage() throws Exception {
    Fixture.Device device = tlsDevice(Fixture.PUPIL);
    TlsClient client = new TlsClient(CA.certificate(), "www.facebook.com");
    client.pump(device);
    assertTrue(client.ssl.handshakeFuture().isSuccess(), () -> String.valueOf(client.ssl.handshakeFuture().cause()));
    X509Certificate leaf = (X509Certificate) client.ssl.engine().getSession().getPeerCertificates()[0];
    assertEquals(List.of(List.of(2, "www.facebook.com")), List.copyOf(leaf.getSubjectAlternativeNames()));
    assertEquals(CA.certificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
    assertEquals("http/1.1", client.ssl.applicationProtocol(), "h2 was offered; http/1.1 is the only answer");

    String ref = f.access.get(0).ref();
    assertEquals("block", f.access.get(0).decision());
    assertEquals(403, f.access.get(0).status());
    assertNotNull(ref);
    for (int i = 0; i < 2; i++) { // keep-alive: a second request on the same connection gets the same page
      FullHttpResponse page = get(client, device, "www.facebook.com", false);
      assertEquals(403, page.status().code());
      assertEquals("social", page.headers().get(Pages.CATEGORY_HEADER));
      String body = page.content().toString(StandardCharsets.UTF_8);
      assertTrue(body.contains("www.facebook.com") && body.contains(ref), body);
      page.release();
    }
    FullHttpResponse last = get(client, device, "www.facebook.com", true);
    assertEquals(403, last.status().code());
    last.release();
    assertFalse(device.isActive(), "closed after a request that asked for it");
    assertEquals(1, f.access.size(), "one access line: the blocked connection's");
    assertEquals(1, f.px.stats.blockPages(ProxyStats.BlockPage.SERVED));
    client.finishAndReleaseAll();
    device.finishAndReleaseAll();
  }

  /** The name on the leaf {@code device} completes a handshake for {@code sni} with (the client checks it too). */
  private static String leafName(Fixture.Device device, String sni) throws Exception {
    TlsClient client = new TlsClient(CA.certificate(), sni);
    client.pump(device);
    assertTrue(client.ssl.handshakeFuture().isSuccess(), () -> sni + ": " + client.ssl.handshakeFuture().cause());
    X509Certificate leaf = (X509Certificate) client.ssl.engine().getSession().getPeerCertificates()[0];
    client.finishAndReleaseAll();
    device.finishAndReleaseAll();
    return (String) List.copyOf(leaf.getSubjectAlternativeNames()).get(0).get(1);
  }

  @Test
  void oneContextServesEveryNameEachWithItsOwnLeafInTurn() throws Exception {
    // one TLS context now serves every name, its key manager picking the leaf by the name read from the hello
    List<String> names = List.of("www.facebook.com", "m.facebook.com", "www.facebook.com", "facebook.com", "m.facebook.com");
    for (int i = 0; i < names.size(); i++) {
      assertEquals(names.get(i), leafName(tlsDevice("10.10.1." + (20 + i)), names.get(i)), "handshake " + i);
    }
    assertEquals(names.size(), f.px.stats.blockPages(ProxyStats.BlockPage.SERVED));
  }

  @Test
  void aBlockedConnectIsAnswered200AndItsTlsGetsTheBlockPageForTheConnectHost() throws Exception {
    Fixture.Device device = proxyDevice(Fixture.PUPIL);
    assertTrue(connect(device, "www.facebook.com").startsWith("HTTP/1.1 200 Connection established"));
    assertEquals("CONNECT", f.access.get(0).method());
    assertEquals(403, f.access.get(0).status(), "logged as the refusal it is");
    TlsClient client = new TlsClient(CA.certificate(), "www.facebook.com");
    client.pump(device);
    assertTrue(client.ssl.handshakeFuture().isSuccess(), () -> String.valueOf(client.ssl.handshakeFuture().cause()));
    FullHttpResponse page = get(client, device, "www.facebook.com", true);
    assertEquals(403, page.status().code());
    assertTrue(page.content().toString(StandardCharsets.UTF_8).contains(f.access.get(0).ref()));
    page.release();
    client.finishAndReleaseAll();
    device.finishAndReleaseAll();
  }

  @Test
  void anUnmanagedDeviceIsRefusedAsBefore() throws Exception {
    Fixture.Device device = tlsDevice(UNMANAGED_PUPIL);
    TlsClient client = new TlsClient(CA.certificate(), "www.facebook.com");
    assertRefusedAsBefore(client, device);
    Fixture.Device proxy = proxyDevice(UNMANAGED_PUPIL);
    assertTrue(connect(proxy, "www.facebook.com").startsWith("HTTP/1.1 403"));
    client.finishAndReleaseAll();
    device.finishAndReleaseAll();
    proxy.finishAndReleaseAll();
  }

  @Test
  void aHelloWithoutAServerNameIsClosedAsBefore() throws Exception {
    Fixture.Device device = tlsDevice(Fixture.PUPIL);
    TlsClient client = new TlsClient(CA.certificate(), null);
    assertRefusedAsBefore(client, device);
    assertEquals("no-sni", f.events.get(0).kind());
    client.finishAndReleaseAll();
    device.finishAndReleaseAll();
  }

  @Test
  void pastTwentyHandshakesASecondADevicesBlockedConnectionsAreClosedAsBefore() throws Exception {
    for (int i = 1; i <= HandshakeBudget.PER_SECOND + 1; i++) {
      Fixture.Device device = tlsDevice(Fixture.PUPIL);
      TlsClient client = new TlsClient(CA.certificate(), "www.facebook.com");
      device.writeInbound(client.hello());
      device.runPendingTasks();
      ByteBuf first = device.readOutbound();
      if (i <= HandshakeBudget.PER_SECOND) {
        assertEquals(0x16, first.getUnsignedByte(0), "handshake " + i + ": a ServerHello");
        assertNotNull(device.pipeline().get(SslHandler.class));
      } else {
        assertArrayEquals(ACCESS_DENIED, ByteBufUtil.getBytes(first), "the 21st in the same second: an alert");
        assertFalse(device.isActive());
      }
      first.release();
      client.finishAndReleaseAll();
      device.finishAndReleaseAll();
    }
    assertEquals(1, f.px.stats.blockPages(ProxyStats.BlockPage.OVER_RATE));
    now = now.plus(Duration.ofMillis(50)); // one token back
    Fixture.Device device = tlsDevice(Fixture.PUPIL);
    TlsClient client = new TlsClient(CA.certificate(), "www.facebook.com");
    client.pump(device);
    assertTrue(client.ssl.handshakeFuture().isSuccess());
    client.finishAndReleaseAll();
    device.finishAndReleaseAll();
  }

  @Test
  void aCircumventionSitesHandshakeWaitsForItsEventToBeWritten() throws Exception {
    f.holdEvents = true;
    Fixture.Device device = tlsDevice(Fixture.PUPIL);
    TlsClient client = new TlsClient(CA.certificate(), "nordvpn.com");
    client.pump(device);
    assertTrue(device.outboundMessages().isEmpty() && !client.ssl.handshakeFuture().isDone(),
        "nothing is answered before the event is on disk");
    assertEquals("circumvention-site", f.events.get(0).kind());
    f.unwritten.get(0).written(true);
    client.pump(device);
    assertTrue(client.ssl.handshakeFuture().isSuccess());
    FullHttpResponse page = get(client, device, "nordvpn.com", true);
    assertEquals("circumvention", page.headers().get(Pages.CATEGORY_HEADER));
    page.release();
    client.finishAndReleaseAll();
    device.finishAndReleaseAll();
  }

  @Test
  void anAllowedNameIsNeverTerminated() throws Exception {
    Fixture.Device device = tlsDevice(Fixture.PUPIL);
    TlsClient client = new TlsClient(CA.certificate(), "www.bbc.co.uk");
    device.writeInbound(client.hello());
    device.runPendingTasks();
    assertNull(device.pipeline().get(SslHandler.class), "allowed: relayed, never decrypted");
    assertEquals(0, f.px.stats.blockPages(ProxyStats.BlockPage.SERVED));
    client.finishAndReleaseAll();
    device.finishAndReleaseAll();
  }
}
