package org.schoolgate.values;

/**
 * IP literals as a URL, a Host header, a server name or the configuration writes them: an IPv4
 * dotted quad, or an IPv6 address in RFC 4291 text form, optionally in {@code [brackets]} and
 * with a {@code %zone} (dropped). Pure parsing, never DNS.
 *
 * <p>It accepts exactly what Netty's {@code NetUtil.createByteArrayFromIpAddressString} accepted
 * before it (the policy must not depend on Netty; {@code IpLiteralTest} holds the two side by
 * side): IPv4 parts of one to three decimal digits, leading zeros allowed and still decimal
 * ({@code 010} is 10: hosts that browsers read as octal are {@link NumericHost}'s business); an
 * IPv4 tail on an IPv6 address only in the mapped or compatible forms ({@code ::ffff:1.2.3.4},
 * {@code ::1.2.3.4}), both read as the mapped address.
 */
public final class IpLiteral {
  private IpLiteral() {}

  /** True for an IPv4 or IPv6 literal. */
  public static boolean isLiteral(String s) {
    // Asked for every request's host: answers a dotted quad without allocating its bytes.
    return s.indexOf(':') < 0 ? ipv4(s, 0, s.length()) >= 0 : ipv6(s) != null;
  }

  /** The address's bytes (4 or 16), or null if {@code s} is not an IP literal. */
  public static byte[] bytes(String s) {
    if (s.indexOf(':') < 0) {
      long v4 = ipv4(s, 0, s.length());
      return v4 < 0 ? null : new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
    }
    return ipv6(s);
  }

  /** The dotted quad in {@code s[from, to)} as an unsigned 32-bit value, or -1. */
  private static long ipv4(String s, int from, int to) {
    long address = 0;
    int part = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || value > 255) {
        return -1;
      }
      address = address << 8 | value;
      part++;
      if (part == 4) {
        return i == to ? address : -1;
      }
      if (i == to || s.charAt(i) != '.') {
        return -1;
      }
      i++;
    }
  }

  private static byte[] ipv6(String s) {
    int from = 0;
    int to = s.length();
    if (to > 0 && s.charAt(0) == '[') {
      if (to < 2 || s.charAt(to - 1) != ']') {
        return null;
      }
      from = 1;
      to--;
    }
    int zone = s.indexOf('%', from);
    if (zone >= 0 && zone < to) {
      to = zone;
    }
    if (from == to) {
      return null;
    }
    int[] groups = new int[8];
    int count = 0;
    int compressAt = -1;
    boolean ipv4Tail = false;
    int i = from;
    if (s.charAt(i) == ':') {
      if (i + 1 >= to || s.charAt(i + 1) != ':') {
        return null; // a single leading colon
      }
      compressAt = 0;
      i += 2;
    }
    while (i < to) {
      int start = i;
      int value = 0;
      int digit;
      while (i < to && i - start < 5 && (digit = Ascii.digit(s.charAt(i))) >= 0) {
        value = value << 4 | digit;
        i++;
      }
      if (i < to && s.charAt(i) == '.') {
        long v4 = count <= 6 ? ipv4(s, start, to) : -1;
        if (v4 < 0) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xffff);
        ipv4Tail = true;
        break;
      }
      if (i == start || i - start > 4 || count == 8) {
        return null;
      }
      groups[count++] = value;
      if (i == to) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < to && s.charAt(i) == ':') {
        if (compressAt >= 0) {
          return null; // "::" twice
        }
        compressAt = count;
        i++;
      } else if (i == to) {
        return null; // a single trailing colon
      }
    }
    if (compressAt < 0 ? count != 8 : count > 7) {
      return null;
    }
    byte[] out = new byte[16];
    int gap = 8 - count;
    for (int g = 0; g < count; g++) {
      int at = compressAt >= 0 && g >= compressAt ? g + gap : g;
      out[2 * at] = (byte) (groups[g] >>> 8);
      out[2 * at + 1] = (byte) groups[g];
    }
    return ipv4Tail ? mapped(out) : out;
  }

  /** An IPv4 tail is allowed after ::ffff: (mapped) or :: (compatible) only, and reads as mapped. */
  private static byte[] mapped(byte[] address) {
    for (int b = 0; b < 10; b++) {
      if (address[b] != 0) {
        return null;
      }
    }
    boolean compatible = address[10] == 0 && address[11] == 0;
    boolean mapped = address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    if (!compatible && !mapped) {
      return null;
    }
    address[10] = (byte) 0xff;
    address[11] = (byte) 0xff;
    return address;
  }
}
