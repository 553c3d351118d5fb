package org.schoolgate.e2e.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Crafts TLS ClientHello bytes for the cases real clients will not produce on demand: an ECH
 * extension behind a public name, no SNI, a hello split across records, an oversized hello, an
 * extension repeated.
 */
public final class HelloBuilder {
  private String serverName;
  private boolean ech;
  private int padding;
  private int recordSize = 16384;
  private final List<byte[]> extra = new ArrayList<>();

  public HelloBuilder serverName(String name) {
    this.serverName = name;
    return this;
  }

  public HelloBuilder ech() {
    this.ech = true;
    return this;
  }

  /** Adds a padding extension (type 21) of this many bytes. */
  public HelloBuilder padding(int bytes) {
    this.padding = bytes;
    return this;
  }

  /** Adds an extension with this type and body after all the others (any type, even one already there). */
  public HelloBuilder extension(int type, byte[] data) {
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    extension(one, type, data);
    extra.add(one.toByteArray());
    return this;
  }

  /** Adds a second server_name extension (type 0) naming {@code name}, after all the others. */
  public HelloBuilder anotherServerName(String name) {
    return extension(0, serverNameBody(name));
  }

  /** Splits the handshake message into records of at most this many bytes. */
  public HelloBuilder recordSize(int bytes) {
    this.recordSize = bytes;
    return this;
  }

  public byte[] build() {
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    if (serverName != null) {
      extension(ext, 0, serverNameBody(serverName));
    }
    extension(ext, 10, concat(u16(2), u16(0x001d))); // supported_groups: x25519
    extension(ext, 43, new byte[] {2, 3, 4}); // supported_versions: TLS 1.3
    if (ech) {
      extension(ext, 0xfe0d, concat(new byte[] {0, 0, 1, 0, 1, 7}, u16(32), new byte[32], u16(64), new byte[64]));
    }
    if (padding > 0) {
      extension(ext, 21, new byte[padding]);
    }
    extra.forEach(ext::writeBytes);
    byte[] extensions = ext.toByteArray();
    byte[] body = concat(new byte[] {3, 3}, new byte[32], new byte[] {0}, u16(2), new byte[] {0x13, 0x01},
        new byte[] {1, 0}, u16(extensions.length), extensions);
    byte[] handshake = concat(new byte[] {1, (byte) (body.length >> 16), (byte) (body.length >> 8), (byte) body.length}, body);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 0; off < handshake.length; off += recordSize) {
      int len = Math.min(recordSize, handshake.length - off);
      out.writeBytes(new byte[] {22, 3, 1});
      out.writeBytes(u16(len));
      out.write(handshake, off, len);
    }
    return out.toByteArray();
  }

  private static byte[] serverNameBody(String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    return concat(u16(n.length + 3), new byte[] {0}, u16(n.length), n);
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    out.writeBytes(u16(type));
    out.writeBytes(u16(data.length));
    out.writeBytes(data);
  }

  private static byte[] u16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
