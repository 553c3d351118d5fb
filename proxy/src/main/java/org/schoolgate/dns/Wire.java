package org.schoolgate.dns;

import java.util.Locale;

/**
 * Reading and writing DNS messages (RFC 1035) in place, on their bytes. The guard forwards the
 * upstream's own bytes and edits only what it must (the ID, TTLs, an {@code ech} SvcParam), so
 * every record, known to it or not (RRSIG, HTTPS, types yet to come), reaches the client as the
 * upstream wrote it. Every read is bounds-checked: a method that meets a malformed message
 * returns -1 (or null) rather than throwing.
 */
final class Wire {
  static final int HEADER = 12;
  static final int QR = 0x8000;
  static final int TC = 0x0200;
  static final int RD = 0x0100;
  static final int RA = 0x0080;
  static final int AD = 0x0020;
  static final int CD = 0x0010;
  static final int NOERROR = 0;
  static final int FORMERR = 1;
  static final int SERVFAIL = 2;
  static final int NXDOMAIN = 3;
  static final int NOTIMP = 4;
  static final int REFUSED = 5;
  static final int A = 1;
  static final int CNAME = 5;
  static final int SOA = 6;
  static final int AAAA = 28;
  static final int OPT = 41;
  static final int SVCB = 64;
  static final int HTTPS = 65;
  private static final int MAX_POINTERS = 64;

  private Wire() {}

  static int u16(byte[] b, int off) {
    return (b[off] & 0xff) << 8 | b[off + 1] & 0xff;
  }

  static long u32(byte[] b, int off) {
    return (long) u16(b, off) << 16 | u16(b, off + 2);
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void put32(byte[] b, int off, long v) {
    put16(b, off, (int) (v >>> 16));
    put16(b, off + 2, (int) v);
  }

  static int id(byte[] m) {
    return u16(m, 0);
  }

  static int flags(byte[] m) {
    return u16(m, 2);
  }

  static int count(byte[] m, int section) {
    return u16(m, 4 + 2 * section);
  }

  /**
   * The offset just past the name at {@code off} (a compression pointer ends a name), or -1 when
   * it runs past {@code end}, has a label longer than 63 or a reserved label type, or is longer than 255.
   */
  static int skipName(byte[] b, int off, int end) {
    int length = 0;
    while (off < end) {
      int len = b[off] & 0xff;
      if (len == 0) {
        return off + 1;
      }
      if ((len & 0xc0) == 0xc0) {
        return off + 2 <= end ? off + 2 : -1;
      }
      if ((len & 0xc0) != 0) {
        return -1;
      }
      length += len + 1;
      if (length > 255) {
        return -1;
      }
      off += len + 1;
    }
    return -1;
  }

  /**
   * The name at {@code off}, following compression pointers, as lower-case dotted text without
   * the final dot ({@code ""} for the root); null when malformed. Bytes outside printable ASCII and
   * dots inside a label are escaped as {@code \DDD}, so no two names read the same.
   */
  static String name(byte[] b, int off, int end) {
    StringBuilder out = new StringBuilder();
    int jumps = 0;
    while (off < end) {
      int len = b[off] & 0xff;
      if (len == 0) {
        return out.toString();
      }
      if ((len & 0xc0) == 0xc0) {
        if (off + 2 > end || ++jumps > MAX_POINTERS) {
          return null;
        }
        off = u16(b, off) & 0x3fff;
        continue;
      }
      if ((len & 0xc0) != 0 || off + 1 + len > end || out.length() + len > 255) {
        return null;
      }
      if (out.length() > 0) {
        out.append('.');
      }
      for (int i = off + 1; i <= off + len; i++) {
        int c = b[i] & 0xff;
        if (c > 0x20 && c < 0x7f && c != '.' && c != '\\') {
          out.append(Character.toLowerCase((char) c));
        } else {
          out.append('\\').append(String.format(Locale.ROOT, "%03d", c));
        }
      }
      off += len + 1;
    }
    return null;
  }

  /**
   * The length of the text {@link #name} writes for the uncompressed name at {@code off}, without
   * writing it; -1 exactly where {@link #name} gives null.
   */
  static int nameLength(byte[] b, int off, int end) {
    int length = 0;
    while (off < end) {
      int len = b[off] & 0xff;
      if (len == 0) {
        return length;
      }
      if ((len & 0xc0) != 0 || off + 1 + len > end || length + len > 255) {
        return -1;
      }
      if (length > 0) {
        length++;
      }
      for (int i = off + 1; i <= off + len; i++) {
        int c = b[i] & 0xff;
        length += c > 0x20 && c < 0x7f && c != '.' && c != '\\' ? 1 : 4;
      }
      off += len + 1;
    }
    return -1;
  }

  /** A dotted name in wire form, uncompressed (for answers the guard writes itself). */
  static byte[] encodeName(String name) {
    byte[] out = new byte[name.isEmpty() ? 1 : name.length() + 2];
    int o = 0;
    if (!name.isEmpty()) {
      for (String label : name.split("\\.", -1)) {
        out[o++] = (byte) label.length();
        for (int i = 0; i < label.length(); i++) {
          out[o++] = (byte) label.charAt(i);
        }
      }
    }
    out[o] = 0;
    return out;
  }

  /** Whether two wire-form question names (uncompressed) are the same, ignoring ASCII case. */
  static boolean sameBytesIgnoringCase(byte[] a, int aOff, byte[] b, int bOff, int length) {
    if (aOff + length > a.length || bOff + length > b.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (Character.toLowerCase((char) (a[aOff + i] & 0xff)) != Character.toLowerCase((char) (b[bOff + i] & 0xff))) {
        return false;
      }
    }
    return true;
  }
}
