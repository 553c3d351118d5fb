package org.schoolgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1) are for one connection only and are dropped when
 * relaying. Transfer-Encoding stays: the codecs re-frame the body from it.
 */
final class HopByHop {
  private HopByHop() {}

  static void strip(HttpHeaders h) {
    List<String> connection = h.getAll(HttpHeaderNames.CONNECTION);
    for (String value : connection) {
      for (String token : value.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !name.equalsIgnoreCase("transfer-encoding")) {
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
}
