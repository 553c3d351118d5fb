package org.schoolgate.admin;

import com.google.common.net.InternetDomainName;
import java.util.Locale;
import org.schoolgate.values.HostSyntax;

/**
 * Turns what a headteacher pastes (a domain or a whole URL) into the domain schoolgate stores:
 * lower case, punycode, no scheme, user, port, path or leading {@code www.}. Refuses bare IP
 * addresses and public suffixes ({@code co.uk}, {@code github.io}: blocking one would block
 * thousands of unrelated sites), using Guava's copy of the Public Suffix List.
 */
public final class DomainInput {
  private DomainInput() {}

  public static String normalise(String input) {
    if (input == null || input.isBlank()) {
      throw new ApiError(400, "Please give a website address, for example example.com");
    }
    String s = input.strip();
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int end = firstOf(s, "/?#");
    if (end >= 0) {
      s = s.substring(0, end);
    }
    int at = s.lastIndexOf('@');
    if (at >= 0) {
      s = s.substring(at + 1);
    }
    if (s.startsWith("[")) {
      throw new ApiError(400, "\"" + abbreviate(input) + "\" is an IP address; please give the website's name instead");
    }
    int colon = s.lastIndexOf(':');
    if (colon >= 0 && s.indexOf(':') == colon) {
      s = s.substring(0, colon);
    }
    String host = HostSyntax.normalise(s);
    if (host == null) {
      throw new ApiError(400, "\"" + abbreviate(input) + "\" is not a website address");
    }
    if (HostSyntax.isIpLiteral(host)) {
      throw new ApiError(400, "\"" + abbreviate(input) + "\" is an IP address; please give the website's name instead");
    }
    if (host.startsWith("www.") && host.indexOf('.', 4) > 0) {
      host = host.substring(4);
    }
    if (host.indexOf('.') < 0) {
      throw new ApiError(400, "\"" + abbreviate(input) + "\" is not a full website address (it needs a dot, like example.com)");
    }
    InternetDomainName name;
    try {
      name = InternetDomainName.from(host);
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "\"" + abbreviate(input) + "\" is not a website address");
    }
    if (name.isPublicSuffix()) {
      throw new ApiError(400, "\"" + host + "\" is shared by many unrelated websites (like co.uk); "
          + "please give the specific website, for example example." + host);
    }
    return host.toLowerCase(Locale.ROOT);
  }

  private static int firstOf(String s, String chars) {
    int best = -1;
    for (char c : chars.toCharArray()) {
      int i = s.indexOf(c);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 80 ? t.substring(0, 77) + "..." : t;
  }
}
