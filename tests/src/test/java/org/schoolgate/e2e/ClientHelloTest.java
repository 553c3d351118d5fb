package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.schoolgate.e2e.support.HelloBuilder;
import org.schoolgate.tls.ClientHello;

/** The ClientHello parser on hellos recorded from real clients (see resources/clienthello/README.md). */
class ClientHelloTest {
  static byte[] recorded(String name) throws IOException {
    try (InputStream in = ClientHelloTest.class.getResourceAsStream("/clienthello/" + name)) {
      return in.readAllBytes();
    }
  }

  static ClientHello.Result parse(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      ClientHello.Result r = ClientHello.parse(buf);
      assertEquals(0, buf.readerIndex(), "parsing never consumes");
      return r;
    } finally {
      buf.release();
    }
  }

  /** The same handshake message re-framed into TLS records of at most {@code size} bytes. */
  static byte[] resplit(byte[] hello, int size) {
    int length = ((hello[3] & 0xff) << 8) | (hello[4] & 0xff);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 5; off < 5 + length; off += size) {
      int n = Math.min(size, 5 + length - off);
      out.writeBytes(new byte[] {22, 3, 1, (byte) (n >> 8), (byte) n});
      out.write(hello, off, n);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @CsvSource({
      "chrome-hello-www.bbc.co.uk.bin, www.bbc.co.uk, true",
      "firefox-hello-www.bbc.co.uk.bin, www.bbc.co.uk, true",
      "openssl-hello-www.bbc.co.uk.bin, www.bbc.co.uk, false",
      "curl-hello-www.bbc.co.uk.bin, www.bbc.co.uk, false"})
  void realClientsHellosGiveTheirServerName(String file, String sni, boolean decoyEch) throws IOException {
    ClientHello.Result r = parse(recorded(file));
    assertEquals(ClientHello.Status.HELLO, r.status());
    assertEquals(sni, r.serverName());
    assertEquals(decoyEch, r.ech());
  }

  @Test
  void aHelloWithoutServerNameIsStillAHello() throws IOException {
    ClientHello.Result r = parse(recorded("openssl-hello-no-sni.bin"));
    assertEquals(ClientHello.Status.HELLO, r.status());
    assertNull(r.serverName());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 100, 512, 1500})
  void everyPrefixOfChromesHelloNeedsMore(int step) throws IOException {
    byte[] hello = recorded("chrome-hello-www.bbc.co.uk.bin");
    for (int n = 0; n < hello.length; n += step) {
      byte[] prefix = java.util.Arrays.copyOf(hello, n);
      assertEquals(ClientHello.Status.NEED_MORE, parse(prefix).status(), "prefix of " + n + " bytes");
    }
    assertEquals("www.bbc.co.uk", parse(hello).serverName());
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 300, 1000})
  void firefoxsHelloSplitAcrossRecordsIsReassembled(int recordSize) throws IOException {
    byte[] split = resplit(recorded("firefox-hello-www.bbc.co.uk.bin"), recordSize);
    ClientHello.Result r = parse(split);
    assertEquals(ClientHello.Status.HELLO, r.status());
    assertEquals("www.bbc.co.uk", r.serverName());
    assertTrue(r.ech());
    assertEquals(ClientHello.Status.NEED_MORE, parse(java.util.Arrays.copyOf(split, split.length - 1)).status());
  }

  @Test
  void anOversizedHelloIsRefusedBeforeItIsBuffered() {
    byte[] big = new HelloBuilder().serverName("example.org").padding(20_000).recordSize(16_000).build();
    assertEquals(ClientHello.Status.TOO_LARGE, parse(java.util.Arrays.copyOf(big, 100)).status(),
        "the declared length alone is enough to refuse");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SSH-2.0-OpenSSH_9.6\r\n", "GET / HTTP/1.1\r\n\r\n", "\u0016\u0002\u0000\u0000\u0005hello"})
  void otherProtocolsAreNotTls(String bytes) {
    assertEquals(ClientHello.Status.NOT_TLS, parse(bytes.getBytes(StandardCharsets.ISO_8859_1)).status());
  }

  @Test
  void aHandshakeThatIsNotAClientHelloIsNotTls() {
    byte[] serverHello = new HelloBuilder().serverName("example.org").build();
    serverHello[5] = 2;
    assertEquals(ClientHello.Status.NOT_TLS, parse(serverHello).status());
  }

  @Test
  void aCraftedEchHelloShowsItsOuterName() {
    ClientHello.Result r = parse(new HelloBuilder().serverName("cloudflare-ech.com").ech().build());
    assertEquals("cloudflare-ech.com", r.serverName());
    assertTrue(r.ech());
    assertFalse(parse(new HelloBuilder().serverName("example.org").build()).ech());
  }
}
