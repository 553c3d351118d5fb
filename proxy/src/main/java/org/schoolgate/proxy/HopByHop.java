package org.schoolgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1) are for one connection only and are dropped when
 * relaying. The fields that frame the message and name its host (Content-Length,
 * Transfer-Encoding, Host) are never removed because {@code Connection} lists them: the codecs
 * frame what we send from them, and dropping one would send the body unframed, for the next
 * hop to read as a request nobody decided (request smuggling).
 */
final class HopByHop {
  private HopByHop() {}

  static void strip(HttpHeaders h) {
    List<String> connection = h.getAll(HttpHeaderNames.CONNECTION);
    for (String value : connection) {
      for (String token : value.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !framing(name)) {
          h.remove(name);
        }
      }
    }
    h.remove(HttpHeaderNames.CONNECTION);
    h.remove("Keep-Alive");
    h.remove("Proxy-Connection");
    h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    h.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
    h.remove(HttpHeaderNames.TE);
    h.remove(HttpHeaderNames.TRAILER);
    h.remove(HttpHeaderNames.UPGRADE);
  }

  private static boolean framing(String name) {
    return name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
        || name.equalsIgnoreCase("host");
  }
}
