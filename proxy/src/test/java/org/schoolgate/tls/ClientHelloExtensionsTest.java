package org.schoolgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ClientHello parser and repeated extensions (RFC 8446 4.2: at most one of each type). */
class ClientHelloExtensionsTest {
  private static final int SERVER_NAME = 0;

  /** A ClientHello in one record with these extensions, each given as its type then its body. */
  private static byte[] hello(Object... typesAndBodies) {
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    for (int i = 0; i < typesAndBodies.length; i += 2) {
      byte[] body = (byte[]) typesAndBodies[i + 1];
      ext.writeBytes(u16((Integer) typesAndBodies[i]));
      ext.writeBytes(u16(body.length));
      ext.writeBytes(body);
    }
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.writeBytes(new byte[] {3, 3});
    h.writeBytes(new byte[32]); // random
    h.writeBytes(new byte[] {0, 0, 2, 0x13, 0x01, 1, 0}); // session id, cipher suites, compression
    h.writeBytes(u16(ext.size()));
    h.writeBytes(ext.toByteArray());
    int n = h.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {22, 3, 1});
    out.writeBytes(u16(n + 4));
    out.writeBytes(new byte[] {1, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
    out.writeBytes(h.toByteArray());
    return out.toByteArray();
  }

  private static byte[] name(String host) {
    byte[] n = host.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(u16(n.length + 3));
    b.write(0);
    b.writeBytes(u16(n.length));
    b.writeBytes(n);
    return b.toByteArray();
  }

  private static byte[] u16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  private static ClientHello.Result parse(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      return ClientHello.parse(buf);
    } finally {
      buf.release();
    }
  }

  /** One server_name extension whose list names two hosts (RFC 6066 3 allows one per type). */
  private static byte[] twoNamesInOneList(String first, String second) {
    byte[] a = first.getBytes(StandardCharsets.US_ASCII);
    byte[] b = second.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    list.write(0);
    list.writeBytes(u16(a.length));
    list.writeBytes(a);
    list.write(0);
    list.writeBytes(u16(b.length));
    list.writeBytes(b);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(u16(list.size()));
    body.writeBytes(list.toByteArray());
    return body.toByteArray();
  }

  @Test
  void aServerNameListNamingTwoHostsIsMalformed() {
    for (String[] pair : new String[][] {{"www.bbc.co.uk", "www.facebook.com"}, {"www.facebook.com", "www.bbc.co.uk"}}) {
      ClientHello.Result r = parse(hello(SERVER_NAME, twoNamesInOneList(pair[0], pair[1])));
      assertEquals(ClientHello.Status.NOT_TLS, r.status());
      assertEquals("the server_name extension names more than one host", r.detail());
    }
  }

  @Test
  void twoServerNamesAreMalformedWhicheverComesFirst() {
    for (byte[] h : new byte[][] {
        hello(SERVER_NAME, name("www.bbc.co.uk"), 10, new byte[] {0, 2, 0, 0x1d}, SERVER_NAME, name("www.facebook.com")),
        hello(SERVER_NAME, name("www.facebook.com"), SERVER_NAME, name("www.bbc.co.uk"))}) {
      ClientHello.Result r = parse(h);
      assertEquals(ClientHello.Status.NOT_TLS, r.status());
      assertEquals("the server_name extension appears more than once", r.detail());
    }
  }

  @ParameterizedTest(name = "extension type {0} twice")
  @ValueSource(ints = {1, 10, 43, 63, 64, 21, 0x0a0a, 0xfe0d, 0xff01, 0xffff})
  void anyExtensionTypeRepeatedIsMalformed(int type) {
    ClientHello.Result r = parse(hello(type, new byte[0], SERVER_NAME, name("example.org"), 0x4469, new byte[0],
        type, new byte[] {1}));
    assertEquals(ClientHello.Status.NOT_TLS, r.status());
    assertEquals("extension " + type + " appears more than once", r.detail());
  }

  @Test
  void everyTypeOnceIsAHelloEvenWithThousandsOfExtensions() {
    Object[] ext = new Object[2 * (64 + 3000)];
    int i = 0;
    for (int type = 63; type >= 0; type--) { // below 64: the bit mask
      ext[i++] = type;
      ext[i++] = type == SERVER_NAME ? name("example.org") : new byte[0];
    }
    for (int type = 0xfffe; i < ext.length; type -= 7) { // from 64 up: the list, grown well past its first size
      ext[i++] = type;
      ext[i++] = new byte[0];
    }
    ClientHello.Result r = parse(hello(ext));
    assertEquals(ClientHello.Status.HELLO, r.status(), r.detail());
    assertEquals("example.org", r.serverName());
    assertTrue(r.ech(), "0xfe0d is among them");
  }

  @Test
  void distinctGreaseValuesAsBrowsersSendThemAreFine() {
    ClientHello.Result r = parse(hello(0x0a0a, new byte[0], SERVER_NAME, name("example.org"), 0xfe0d, new byte[8],
        0x1a1a, new byte[] {0}));
    assertEquals(ClientHello.Status.HELLO, r.status());
    assertEquals("example.org", r.serverName());
  }
}
