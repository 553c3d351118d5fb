package org.schoolgate.tls;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a TLS ClientHello from the first bytes of a connection without consuming them: the
 * handshake message may span several TLS records and several TCP segments. Pure parsing over a
 * ByteBuf; {@link #parse} says whether more bytes are needed. A hello that repeats an extension
 * type is malformed (RFC 8446 4.2, and servers refuse it): it is {@link Status#NOT_TLS}, never
 * decided on one copy of the server name while the origin reads the other.
 */
public final class ClientHello {
  /** Encrypted Client Hello extension (draft-ietf-tls-esni), also sent as a decoy ("GREASE") by browsers. */
  public static final int EXT_ECH = 0xfe0d;
  private static final int EXT_SERVER_NAME = 0;
  private static final int RECORD_HANDSHAKE = 22;
  private static final int HANDSHAKE_CLIENT_HELLO = 1;
  /** The most a ClientHello may take (post-quantum key shares make ~2 KB common; 16 KB is generous). */
  public static final int MAX_HELLO = 16 * 1024;

  public enum Status { NEED_MORE, HELLO, NOT_TLS, TOO_LARGE }

  /** What was found. {@code serverName} is null when the hello carries none. */
  public record Result(Status status, String serverName, boolean ech, String detail) {
    static final Result NEED_MORE = new Result(Status.NEED_MORE, null, false, null);
  }

  private ClientHello() {}

  /** More than this buffered and still no whole hello: a dripper or a hello split into tiny records. */
  private static final int MAX_BUFFERED = MAX_HELLO + 64;

  /**
   * Parses from {@code in.readerIndex()}; never moves the reader index. Incomplete input
   * longer than {@link #MAX_HELLO} (plus record headers) is {@link Status#TOO_LARGE}: a caller
   * that buffers until this says something else holds at most that much.
   */
  public static Result parse(ByteBuf in) {
    Result r = parseRecords(in);
    if (r.status() == Status.NEED_MORE && in.readableBytes() > MAX_BUFFERED) {
      return new Result(Status.TOO_LARGE, null, false, "more than " + MAX_HELLO + " bytes without a complete ClientHello");
    }
    return r;
  }

  private static Result parseRecords(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    if (end - start < 1) {
      return Result.NEED_MORE;
    }
    if (in.getUnsignedByte(start) != RECORD_HANDSHAKE) {
      return notTls("the first byte is not a TLS handshake record");
    }
    // Reassemble the handshake message from consecutive handshake records.
    byte[] handshake = null;
    int have = 0;
    int need = -1;
    int pos = start;
    while (true) {
      if (end - pos < 5) {
        return Result.NEED_MORE;
      }
      int type = in.getUnsignedByte(pos);
      int major = in.getUnsignedByte(pos + 1);
      int length = in.getUnsignedShort(pos + 3);
      if (type != RECORD_HANDSHAKE || major != 3) {
        return notTls("record type " + type + ", version " + major + "." + in.getUnsignedByte(pos + 2));
      }
      if (length == 0 || length > 16384 + 2048) {
        return notTls("record length " + length);
      }
      if (handshake == null) {
        // The handshake header sits in the first record: judge it as soon as it is here,
        // so an oversized or foreign message is refused before it is buffered.
        if (end - pos < 9) {
          return Result.NEED_MORE;
        }
        if (length < 4) {
          return notTls("handshake record too short");
        }
        if (in.getUnsignedByte(pos + 5) != HANDSHAKE_CLIENT_HELLO) {
          return notTls("handshake message " + in.getUnsignedByte(pos + 5) + " is not a ClientHello");
        }
        need = in.getUnsignedMedium(pos + 6);
        if (need > MAX_HELLO) {
          return new Result(Status.TOO_LARGE, null, false, "ClientHello of " + need + " bytes");
        }
      }
      if (end - pos - 5 < length) {
        return Result.NEED_MORE;
      }
      if (handshake == null) {
        handshake = new byte[need + 4];
      }
      int take = Math.min(length, handshake.length - have);
      in.getBytes(pos + 5, handshake, have, take);
      have += take;
      pos += 5 + length;
      if (have == handshake.length) {
        return body(handshake);
      }
    }
  }

  private static Result notTls(String detail) {
    return new Result(Status.NOT_TLS, null, false, detail);
  }

  /** Walks the ClientHello body (after the 4-byte handshake header) to its extensions. */
  private static Result body(byte[] h) {
    Cursor c = new Cursor(h, 4);
    if (!c.skip(2 + 32)) { // client_version, random
      return notTls("truncated ClientHello");
    }
    if (!c.skipVector(1) || !c.skipVector(2) || !c.skipVector(1)) { // session_id, cipher_suites, compression
      return notTls("truncated ClientHello");
    }
    if (c.remaining() == 0) {
      return new Result(Status.HELLO, null, false, null); // no extensions at all
    }
    int extEnd = c.u16();
    if (extEnd < 0 || extEnd > c.remaining()) {
      return notTls("bad extensions length");
    }
    extEnd += c.pos;
    String sni = null;
    boolean ech = false;
    long seenBelow64 = 0; // one bit per extension type below 64; the rest are listed and checked at the end
    int[] others = null;
    int otherCount = 0;
    while (c.pos + 4 <= extEnd) {
      int type = c.u16();
      int len = c.u16();
      if (c.pos + len > extEnd) {
        return notTls("extension runs past the end");
      }
      if (type < 64) {
        if ((seenBelow64 & (1L << type)) != 0) {
          return repeated(type);
        }
        seenBelow64 |= 1L << type;
      } else {
        if (others == null) {
          others = new int[16];
        } else if (otherCount == others.length) {
          others = Arrays.copyOf(others, otherCount * 2);
        }
        others[otherCount++] = type;
      }
      if (type == EXT_SERVER_NAME) {
        sni = serverName(h, c.pos, len);
      } else if (type == EXT_ECH) {
        ech = true;
      }
      c.pos += len;
    }
    int again = repeatedType(others, otherCount);
    if (again >= 0) {
      return repeated(again);
    }
    if (sni == TWO_NAMES) {
      return notTls("the server_name extension names more than one host");
    }
    return new Result(Status.HELLO, sni, ech, null);
  }

  /** A type that occurs twice among the first {@code n} of {@code types} (which it sorts), or -1. */
  private static int repeatedType(int[] types, int n) {
    if (n < 2) {
      return -1;
    }
    Arrays.sort(types, 0, n); // sorting keeps a hello of thousands of empty extensions linear-ish, not quadratic
    for (int i = 1; i < n; i++) {
      if (types[i] == types[i - 1]) {
        return types[i];
      }
    }
    return -1;
  }

  private static Result repeated(int type) {
    return notTls(type == EXT_SERVER_NAME ? "the server_name extension appears more than once"
        : "extension " + type + " appears more than once");
  }

  private static String serverName(byte[] h, int pos, int len) {
    Cursor c = new Cursor(h, pos);
    int end = pos + len;
    int listLen = c.u16();
    if (listLen < 0 || c.pos + listLen > end) {
      return null;
    }
    String found = null;
    while (c.pos + 3 <= end) {
      int nameType = h[c.pos++] & 0xff;
      int nameLen = c.u16();
      if (c.pos + nameLen > end) {
        return null;
      }
      if (nameType == 0) {
        if (found != null) {
          return TWO_NAMES; // RFC 6066 3: no more than one name of a type; servers differ on which they take
        }
        found = new String(h, c.pos, nameLen, StandardCharsets.US_ASCII);
      }
      c.pos += nameLen;
    }
    return found;
  }

  /** Returned (by identity) for a server_name list that names two hosts. */
  private static final String TWO_NAMES = new String("two host names");

  private static final class Cursor {
    final byte[] b;
    int pos;

    Cursor(byte[] b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    int remaining() {
      return b.length - pos;
    }

    boolean skip(int n) {
      if (remaining() < n) {
        return false;
      }
      pos += n;
      return true;
    }

    int u16() {
      if (remaining() < 2) {
        return -1;
      }
      int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    boolean skipVector(int lengthBytes) {
      if (remaining() < lengthBytes) {
        return false;
      }
      int n = lengthBytes == 1 ? b[pos] & 0xff : ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
      pos += lengthBytes;
      return skip(n);
    }
  }
}
