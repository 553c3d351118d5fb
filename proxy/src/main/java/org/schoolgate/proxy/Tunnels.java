package org.schoolgate.proxy;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Open tunnels (CONNECT and intercepted TLS) by client channel and host, so that a new block
 * can close the tunnels it now forbids.
 */
public final class Tunnels {
  private final Map<Channel, String> open = new ConcurrentHashMap<>();

  void opened(Channel client, String host) {
    open.put(client, host);
    client.closeFuture().addListener(f -> open.remove(client));
  }

  public int count() {
    return open.size();
  }

  /** Closes every tunnel whose host the predicate picks; returns how many. */
  public int closeIf(Predicate<String> hostMatches) {
    int n = 0;
    for (Map.Entry<Channel, String> e : open.entrySet()) {
      if (hostMatches.test(e.getValue())) {
        e.getKey().close();
        n++;
      }
    }
    return n;
  }
}
