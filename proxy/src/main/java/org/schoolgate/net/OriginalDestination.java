package org.schoolgate.net;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The address an intercepted client actually dialled. Under an nftables/iptables REDIRECT the
 * kernel keeps it in conntrack and {@code getsockopt(SO_ORIGINAL_DST)} returns it; under TPROXY
 * the accepted socket's local address already is it (schoolgate does not set IP_TRANSPARENT
 * itself: the shipped rules use REDIRECT). Null when neither tells anything beyond
 * our own listener (a client that connected to us directly, or a non-epoll transport).
 */
public final class OriginalDestination {
  private static final int SOL_IP = 0;
  private static final int SOL_IPV6 = 41;
  private static final int SO_ORIGINAL_DST = 80; // also IP6T_SO_ORIGINAL_DST
  private static final RawUnixChannelOption V4 = new RawUnixChannelOption("SO_ORIGINAL_DST", SOL_IP, SO_ORIGINAL_DST, 16);
  private static final RawUnixChannelOption V6 = new RawUnixChannelOption("IP6T_SO_ORIGINAL_DST", SOL_IPV6, SO_ORIGINAL_DST, 28);

  private OriginalDestination() {}

  public static InetSocketAddress of(Channel ch) {
    if (!(ch instanceof EpollSocketChannel)) {
      return null;
    }
    InetSocketAddress local = (InetSocketAddress) ch.localAddress();
    InetSocketAddress original = query(ch, local.getAddress() instanceof java.net.Inet6Address);
    if (original != null && !original.equals(local)) {
      return original; // REDIRECT / DNAT: conntrack remembers the address the client dialled
    }
    // TPROXY (a listening socket with IP_TRANSPARENT): the accepted socket is bound to the
    // dialled address itself, so a local port other than the listener's is the original.
    InetSocketAddress listener = ch.parent() == null ? null : (InetSocketAddress) ch.parent().localAddress();
    if (listener != null && local.getPort() != listener.getPort()) {
      return local;
    }
    return null;
  }

  private static InetSocketAddress query(Channel ch, boolean v6) {
    try {
      ByteBuffer raw = ch.config().getOption(v6 ? V6 : V4);
      if (raw == null) {
        return null;
      }
      raw.order(ByteOrder.BIG_ENDIAN);
      int port = Short.toUnsignedInt(raw.getShort(2));
      byte[] address;
      if (v6) {
        address = new byte[16];
        raw.position(8);
        raw.get(address);
      } else {
        address = new byte[4];
        raw.position(4);
        raw.get(address);
      }
      return new InetSocketAddress(InetAddress.getByAddress(address), port);
    } catch (RuntimeException | UnknownHostException e) {
      return null; // no conntrack entry: not redirected
    }
  }
}
