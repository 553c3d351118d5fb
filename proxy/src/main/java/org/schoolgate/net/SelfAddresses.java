package org.schoolgate.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The proxy's own listening sockets. Connecting to one of them would be a loop (a request for
 * the proxy through the proxy) or a way round {@code admin.allow_from}; the connector refuses.
 */
public final class SelfAddresses {
  private final List<InetSocketAddress> listeners = new CopyOnWriteArrayList<>();
  private final Set<InetAddress> localAddresses = new HashSet<>();

  public SelfAddresses() {
    try {
      for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
        nic.inetAddresses().forEach(localAddresses::add);
      }
    } catch (SocketException e) {
      // Without the interface list, wildcard listeners are still matched on loopback and any-local.
    }
  }

  /** Whether the address is this machine itself: loopback, link-local, unspecified, or one of its interfaces. */
  public boolean isLocal(InetAddress target) {
    return target.isLoopbackAddress() || target.isAnyLocalAddress() || target.isLinkLocalAddress()
        || localAddresses.contains(target);
  }

  public void add(InetSocketAddress bound) {
    listeners.add(bound);
  }

  public boolean isSelf(InetAddress target, int port) {
    for (InetSocketAddress l : listeners) {
      if (l.getPort() != port) {
        continue;
      }
      InetAddress bound = l.getAddress();
      if (bound.equals(target) || target.isAnyLocalAddress()) {
        return true;
      }
      if (bound.isAnyLocalAddress() && (target.isLoopbackAddress() || localAddresses.contains(target))) {
        return true;
      }
    }
    return false;
  }
}
