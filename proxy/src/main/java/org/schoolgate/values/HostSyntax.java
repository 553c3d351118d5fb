package org.schoolgate.values;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Host names as the policy compares them: lower case, no trailing dot, IDN in ASCII (punycode).
 * A host ending in a number is an IPv4 address, written as a dotted quad, as browsers read it
 * ({@link NumericHost}: {@code 2130706433} is 127.0.0.1), or no host at all: it is never a name
 * to look up. The common case (already lower-case ASCII) returns its argument without allocating.
 */
public final class HostSyntax {
  private HostSyntax() {}

  /**
   * The normalised host, or null if {@code raw} is not a host name or an IP literal (including a
   * host ending in a number that is no IPv4 address, such as {@code 1.2.3.4.5}).
   */
  public static String normalise(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw;
    int len = s.length();
    if (len > 0 && s.charAt(len - 1) == '.') {
      s = s.substring(0, len - 1);
      len--;
    }
    if (len == 0 || len > 253) {
      return null;
    }
    if (s.charAt(0) == '[' && s.charAt(len - 1) == ']') {
      s = s.substring(1, len - 1);
      return isIpLiteral(s) ? s.toLowerCase(Locale.ROOT) : null;
    }
    boolean lower = true;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return normaliseIdn(s);
      }
      if (c >= 'A' && c <= 'Z') {
        lower = false;
      } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == ':')) {
        return null;
      }
    }
    if (!lower) {
      s = s.toLowerCase(Locale.ROOT);
    }
    if (s.indexOf(':') >= 0) {
      return isIpLiteral(s) ? s : null;
    }
    return nameOrAddress(s);
  }

  /** {@code s} (lower-case ASCII host characters) as a dotted quad if it ends in a number, else if its labels are valid. */
  private static String nameOrAddress(String s) {
    if (NumericHost.endsInNumber(s)) {
      return NumericHost.canonical(s);
    }
    return validLabels(s) ? s : null;
  }

  private static String normaliseIdn(String s) {
    try {
      String ascii = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      return ascii.isEmpty() || !hostChars(ascii) ? null : nameOrAddress(ascii);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** IDN conversion passes spaces, slashes and the like through; the ASCII path has checked these already. */
  private static boolean hostChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static boolean validLabels(String s) {
    int labelStart = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        int labelLength = i - labelStart;
        if (labelLength == 0 || labelLength > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
      }
    }
    return true;
  }

  /** True for an IPv4 dotted quad or an IPv6 literal (without brackets). */
  public static boolean isIpLiteral(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char last = s.charAt(s.length() - 1);
    if (s.indexOf(':') < 0 && (last < '0' || last > '9')) {
      return false; // fast path: names end in a letter (a normalised host ending in a number is an address)
    }
    return IpLiteral.isLiteral(s);
  }

  /** The address an IP literal (dotted quad or IPv6, without brackets) names, or null if it is none. Never DNS. */
  public static InetAddress ipAddress(String literal) {
    byte[] bytes = IpLiteral.bytes(literal);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null; // only for a wrong length, which literalBytes never gives
    }
  }
}
