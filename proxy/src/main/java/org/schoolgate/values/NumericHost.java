package org.schoolgate.values;

/**
 * Hosts that browsers read as IPv4 addresses, after the WHATWG URL standard's "ends in a number"
 * check and "IPv4 parser": a host whose last label is a number is an address, whose parts may
 * be decimal, {@code 0x} hex or leading-{@code 0} octal, and whose last part fills whatever
 * fewer than four parts leave ({@code 2130706433}, {@code 0x7f.1}, {@code 127.1} and
 * {@code 0177.0.0.1} are all 127.0.0.1). Such a host that is no address ({@code 1.2.3.4.5},
 * {@code 999.1}) is refused by browsers, never looked up. Pure parsing, no allocation unless
 * the address has to be written out.
 */
public final class NumericHost {
  /** Any part's value above this is out of range, however long its digits run. */
  private static final long TOO_BIG = 1L << 32;

  private NumericHost() {}

  /**
   * Whether browsers take {@code host} (lower-case ASCII, a trailing dot already removed) for an
   * IPv4 address: its last label is all decimal digits, or {@code 0x} and hex digits.
   */
  public static boolean endsInNumber(String host) {
    int from = host.lastIndexOf('.') + 1;
    int to = host.length();
    if (from == to) {
      return false;
    }
    if (digits(host, from, to, 10)) {
      return true;
    }
    return to - from >= 2 && host.charAt(from) == '0' && (host.charAt(from + 1) | 0x20) == 'x'
        && digits(host, from + 2, to, 16);
  }

  /**
   * The dotted quad browsers read in {@code host} (returned as it is when it is one already), or
   * null when it is not an IPv4 address at all (a part that is no number, more than four parts,
   * a part out of range).
   */
  public static String canonical(String host) {
    int parts = 1;
    for (int i = 0; i < host.length(); i++) {
      if (host.charAt(i) == '.') {
        parts++;
      }
    }
    if (parts > 4) {
      return null;
    }
    long address = 0;
    boolean dottedQuad = parts == 4;
    int from = 0;
    for (int part = 0; part < parts; part++) {
      int to = host.indexOf('.', from);
      if (to < 0) {
        to = host.length();
      }
      long n = number(host, from, to);
      boolean last = part == parts - 1;
      if (n < 0 || !last && n > 255 || last && n >= 1L << (8 * (5 - parts))) {
        return null;
      }
      address += last ? n : n << (8 * (3 - part));
      dottedQuad &= to - from == 1 || host.charAt(from) != '0'; // no hex, no octal: written as we would
      from = to + 1;
    }
    if (dottedQuad) {
      return host;
    }
    return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
  }

  /** One part's value (decimal, 0x hex, 0-led octal), at most {@link #TOO_BIG}; -1 if it is no number. */
  private static long number(String s, int from, int to) {
    if (from == to) {
      return -1;
    }
    int radix = 10;
    if (to - from >= 2 && s.charAt(from) == '0') {
      boolean hex = (s.charAt(from + 1) | 0x20) == 'x';
      radix = hex ? 16 : 8;
      from += hex ? 2 : 1;
    }
    long n = 0;
    for (int i = from; i < to; i++) {
      int d = Ascii.digit(s.charAt(i));
      if (d < 0 || d >= radix) {
        return -1;
      }
      n = Math.min(n * radix + d, TOO_BIG);
    }
    return n;
  }

  private static boolean digits(String s, int from, int to, int radix) {
    for (int i = from; i < to; i++) {
      int d = Ascii.digit(s.charAt(i));
      if (d < 0 || d >= radix) {
        return false;
      }
    }
    return true;
  }
}
