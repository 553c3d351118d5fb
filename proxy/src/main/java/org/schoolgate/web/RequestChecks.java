package org.schoolgate.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.NetUtil;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every admin request must show before anything else reads it (issue 21):
 * <ul>
 *   <li>its {@code Host} names this console: {@code localhost}, an address (an address cannot be
 *       rebound), the host of {@code admin.console_url} or one of {@code admin.hostnames}; any other
 *       name is a DNS-rebinding page reaching the console through the browser: 421;</li>
 *   <li>a change (any method but GET and HEAD; the sign-in included) comes from the console's own
 *       page: {@code Sec-Fetch-Site} absent, {@code same-origin} or {@code none} (a typed address, a
 *       script), and {@code Origin}, when sent, the console's own origin; else 403. A browser
 *       holding a Basic password or a session cookie thus cannot be made to change anything by
 *       another site's form;</li>
 *   <li>an API request with a body says it is JSON ({@code Content-Type: application/json}), which
 *       no HTML form can send: 415.</li>
 * </ul>
 */
final class RequestChecks {
  /** Why a request is refused: a status and a sentence for the person or script that sent it. */
  record Refusal(int status, String sentence) {}

  private final Set<String> hostnames = new HashSet<>();
  private final String scheme;

  /**
   * @param hostnames the names (no port) the console may be called by, besides addresses and localhost
   * @param tls       whether the listener serves HTTPS (the console's origin is then {@code https://})
   */
  RequestChecks(List<String> hostnames, boolean tls) {
    hostnames.forEach(h -> this.hostnames.add(normal(h)));
    this.hostnames.add("localhost");
    this.scheme = tls ? "https://" : "http://";
  }

  /** The names of {@code admin.hostnames} and the host of {@code admin.console_url}, if set. */
  static List<String> names(List<String> hostnames, String consoleUrl) {
    List<String> all = new java.util.ArrayList<>(hostnames);
    if (consoleUrl != null) {
      String host = URI.create(consoleUrl).getHost();
      if (host != null) {
        all.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
      }
    }
    return all;
  }

  /** Null when the request may go on, else why not. {@code api}: the path is under {@code /api}. */
  Refusal check(HttpRequest req, boolean api, int bodyLength) {
    HttpHeaders h = req.headers();
    String host = h.get(HttpHeaderNames.HOST);
    if (host != null && !knownHost(host)) {
      return new Refusal(421, "This console does not answer to the name \"" + inert(host) + "\": use its own address, "
          + "or add the name to admin.hostnames");
    }
    HttpMethod m = req.method();
    if (m != HttpMethod.GET && m != HttpMethod.HEAD) {
      String site = h.get("Sec-Fetch-Site");
      if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
        return new Refusal(403, "This request came from another website (Sec-Fetch-Site: " + inert(site)
            + "), so nothing was changed: changes are made from the console's own pages only");
      }
      String origin = h.get(HttpHeaderNames.ORIGIN);
      if (origin != null && (host == null || !origin.equalsIgnoreCase(scheme + host))) {
        return new Refusal(403, "This request came from another website (Origin: " + inert(origin)
            + "), so nothing was changed: changes are made from the console's own pages only");
      }
    }
    if (api && bodyLength > 0 && !json(h.get(HttpHeaderNames.CONTENT_TYPE))) {
      return new Refusal(415, "The API takes JSON: send the body with Content-Type: application/json "
          + "(nothing was changed)");
    }
    return null;
  }

  /**
   * Whether the request comes from a web browser (it sends {@code Sec-Fetch-*}, or its user agent
   * begins {@code Mozilla/}, as every browser's does). A 401 to a browser carries no
   * {@code WWW-Authenticate: Basic} challenge, so no browser ever prompts for, and then keeps
   * sending, a password for the console's origin; scripts (curl, wget) still get the challenge.
   */
  static boolean fromBrowser(HttpHeaders h) {
    String agent = h.get(HttpHeaderNames.USER_AGENT);
    return h.contains("Sec-Fetch-Mode") || h.contains("Sec-Fetch-Site") || h.contains("Sec-Fetch-Dest")
        || (agent != null && agent.startsWith("Mozilla/"));
  }

  private boolean knownHost(String hostHeader) {
    String host;
    if (hostHeader.startsWith("[")) {
      int end = hostHeader.indexOf(']');
      if (end < 0) {
        return false;
      }
      host = hostHeader.substring(1, end);
      return NetUtil.isValidIpV6Address(host) && portOnly(hostHeader.substring(end + 1));
    }
    int colon = hostHeader.indexOf(':');
    host = colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    if (colon >= 0 && !portOnly(hostHeader.substring(colon))) {
      return false;
    }
    return NetUtil.isValidIpV4Address(host) || hostnames.contains(normal(host));
  }

  /** Nothing, or {@code :} and a port number. */
  private static boolean portOnly(String rest) {
    return rest.isEmpty() || rest.matches(":\\d{1,5}");
  }

  private static String normal(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static boolean json(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().equalsIgnoreCase("application/json");
  }

  /** A header's value quoted in a sentence: printable ASCII only, 100 characters at most. */
  private static String inert(String value) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length() && b.length() < 100; i++) {
      char c = value.charAt(i);
      b.append(c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
    }
    return b.toString();
  }
}
