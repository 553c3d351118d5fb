package org.schoolgate.rules;

import com.google.common.net.InternetDomainName;
import java.util.Locale;
import org.schoolgate.admin.ApiError;
import org.schoolgate.values.HostSyntax;
import org.schoolgate.values.WebAddress;

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
    WebAddress.Authority authority = WebAddress.Authority.split(WebAddress.parse(input).authority());
    if (authority == null || authority.host().startsWith("[")) {
      throw new ApiError(400, "\"" + abbreviate(input) + "\" is an IP address; please give the website's name instead");
    }
    // An authority with more than one colon is an IPv6 address written without brackets, not host:port.
    String s = authority.port() != null && authority.host().indexOf(':') >= 0
        ? authority.host() + ":" + authority.port() : authority.host();
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

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 80 ? t.substring(0, 77) + "..." : t;
  }
}
