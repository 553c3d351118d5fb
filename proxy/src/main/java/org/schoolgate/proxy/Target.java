package org.schoolgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import org.schoolgate.values.HostSyntax;
import org.schoolgate.values.WebAddress;

/**
 * Where a request is going: host (normalised), port and the origin-form path. Parsed from a
 * CONNECT authority, an absolute-form URI, or the Host header.
 */
record Target(String host, int port, String originForm, String rawHost, boolean fromUri) {

  Target(String host, int port, String originForm, String rawHost) {
    this(host, port, originForm, rawHost, false);
  }

  /** Thrown for a request whose target cannot be understood (400). */
  static final class BadTarget extends Exception {
    private static final long serialVersionUID = 1L;

    BadTarget(String message) {
      super(message, null, false, false);
    }
  }

  static Target of(HttpRequest req, int defaultPort) throws BadTarget {
    String uri = req.uri();
    if (req.method() == HttpMethod.CONNECT) {
      return authority(uri, -1, "/");
    }
    if (uri.regionMatches(true, 0, "http://", 0, 7)) {
      WebAddress url = WebAddress.parse(uri);
      String path = url.path().isEmpty() ? "/" : url.path().charAt(0) == '/' ? url.path() : "/" + url.path();
      Target t = authority(url.authority(), defaultPort, path);
      return new Target(t.host, t.port, t.originForm, t.rawHost, true);
    }
    if (uri.regionMatches(true, 0, "https://", 0, 8)) {
      throw new BadTarget("https:// addresses go through a CONNECT tunnel, not a plain request");
    }
    if (!uri.startsWith("/") && !uri.equals("*")) {
      throw new BadTarget("the request target \"" + abbreviate(uri) + "\" is not understood");
    }
    String host = req.headers().get(HttpHeaderNames.HOST);
    if (host == null || host.isBlank()) {
      throw new BadTarget("the request has no Host header");
    }
    return authority(host.trim(), defaultPort, uri);
  }

  private static Target authority(String authority, int defaultPort, String path) throws BadTarget {
    WebAddress.Authority split = WebAddress.Authority.split(authority);
    if (split == null) {
      throw new BadTarget("\"" + abbreviate(authority) + "\" is not a host");
    }
    String host = split.host();
    String portText = split.port();
    int port = defaultPort;
    if (portText != null && !portText.isEmpty()) {
      port = parsePort(portText);
    }
    if (port < 1) {
      throw new BadTarget("\"" + abbreviate(authority) + "\" needs a port");
    }
    String normalised = HostSyntax.normalise(host);
    if (normalised == null) {
      throw new BadTarget("\"" + abbreviate(host) + "\" is not a host name");
    }
    // An IPv4 address goes upstream (and into Host) as the dotted quad that was decided, however
    // the client spelt it (0x7f.1, 2130706433): that is also what a browser would send.
    boolean ipv4 = normalised.indexOf(':') < 0 && HostSyntax.isIpLiteral(normalised);
    return new Target(normalised, port, path, ipv4 ? normalised : host);
  }

  private static int parsePort(String s) throws BadTarget {
    if (s.length() > 5) {
      throw new BadTarget("port \"" + abbreviate(s) + "\" is out of range");
    }
    int p = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new BadTarget("port \"" + abbreviate(s) + "\" is not a number");
      }
      p = p * 10 + (c - '0');
    }
    if (p < 1 || p > 65535) {
      throw new BadTarget("port " + p + " is out of range");
    }
    return p;
  }

  /** The Host header for this target: the host as the client wrote it, with the port unless it is 80. */
  String hostHeader() {
    return port == 80 ? rawHost : rawHost + ":" + port;
  }

  /** The path without the query string, for the access log. */
  String logPath() {
    int q = originForm.indexOf('?');
    return q < 0 ? originForm : originForm.substring(0, q);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
