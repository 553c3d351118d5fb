package org.schoolgate.values;

/**
 * The one parser of web addresses: a URL as a person pastes it or a proxy request names it
 * ({@code [scheme://][user@]host[:port][/path?query#fragment]}) split into its parts, and an
 * authority ({@code host[:port]}, {@code [v6]:port}) split into host and port. It only splits:
 * the host is as written (normalise it with {@link HostSyntax}), the port is text (each caller
 * says what a bad one means to its reader). JDK only.
 *
 * @param scheme    lower case, or null when none was written
 * @param authority the part after the scheme and before the path, without user info
 * @param path      from the first {@code /}, {@code ?} or {@code #} after the authority, or ""
 */
public record WebAddress(String scheme, String authority, String path) {

  /** Splits {@code url}; the scheme is anything before {@code ://}. */
  public static WebAddress parse(String url) {
    // Called for every absolute-form request: offsets into the one string, no copy of its tail.
    String s = url.strip();
    String scheme = null;
    int start = 0;
    int sep = s.indexOf("://");
    if (sep > 0 && isScheme(s, sep)) {
      scheme = sep == 4 && s.regionMatches(true, 0, "http", 0, 4) ? "http"
          : sep == 5 && s.regionMatches(true, 0, "https", 0, 5) ? "https"
          : s.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
      start = sep + 3;
    }
    int end = s.length();
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    int at = end > start ? s.lastIndexOf('@', end - 1) : -1;
    int from = at >= start ? at + 1 : start; // user info is never a host, nor forwarded
    return new WebAddress(scheme, s.substring(from, end), s.substring(end));
  }

  private static boolean isScheme(String s, int end) {
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * An authority split into host and port text. {@code host} keeps an IPv6 literal's brackets;
   * {@code port} is null when none was written. A bracket that does not close, or text after the
   * closing bracket that is not {@code :port}, is no authority: null.
   */
  public record Authority(String host, String port) {
    public static Authority split(String authority) {
      if (authority.startsWith("[")) {
        int close = authority.indexOf(']');
        if (close < 0) {
          return null;
        }
        String host = authority.substring(0, close + 1);
        if (close + 1 == authority.length()) {
          return new Authority(host, null);
        }
        return authority.charAt(close + 1) == ':' ? new Authority(host, authority.substring(close + 2)) : null;
      }
      int colon = authority.lastIndexOf(':');
      return colon < 0 ? new Authority(authority, null)
          : new Authority(authority.substring(0, colon), authority.substring(colon + 1));
    }
  }
}
