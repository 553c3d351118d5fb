package org.schoolgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Turns a client connection and an upstream connection into a byte tunnel (an allowed CONNECT or
 * intercepted TLS): relays both ways, registers it for closing on a new block, and writes its
 * access line when both sides have closed.
 */
final class Tunnel {
  private Tunnel() {}

  /** The upstream pipeline of a tunnel before it is joined: only the idle timeout. */
  static ChannelHandler upstreamInitializer(ProxyContext px) {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast("idle", new IdleStateHandler(px.idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
      }
    };
  }

  /**
   * Joins the two channels after sending {@code first} upstream: the bytes a peek handler held
   * back (a ClientHello) go ahead of anything the relay forwards, and count as sent up.
   */
  static void join(ProxyContext px, Channel client, Channel upstream, Exchange exchange, ChannelHandler replaced,
                   ByteBuf first) {
    long firstBytes = first.readableBytes();
    upstream.write(first);
    join(px, client, upstream, exchange, replaced);
    exchange.bytesUp += firstBytes;
    upstream.flush();
  }

  /**
   * Joins the two channels. {@code replaced} is the client-side handler whose place the relay
   * takes; handlers named in {@code alsoRemove} go after it (any bytes they buffered flow on
   * into the relay).
   */
  static void join(ProxyContext px, Channel client, Channel upstream, Exchange exchange, ChannelHandler replaced,
                   String... alsoRemove) {
    String host = exchange.target.host();
    int port = exchange.target.port();
    TunnelStats stats = new TunnelStats(client.eventLoop().ticker(), s -> {
      exchange.bytesUp += s.bytesUp;
      exchange.bytesDown += s.bytesDown;
      if (client.hasAttr(BufferBudget.CLOSED_FOR) || upstream.hasAttr(BufferBudget.CLOSED_FOR)) {
        exchange.aborted = "buffer-budget";
      }
      px.access(exchange.toRecord(px, host, port));
    });
    px.tunnels.opened(client, host);
    var pipeline = client.pipeline();
    long idle = px.idleTimeout.toNanos();
    BufferBudget.Account upstreamHolds = px.account(client);
    BufferBudget.Account clientHolds = px.account(client);
    pipeline.replace(replaced, "relay", new Relay(upstream, stats, true, idle, upstreamHolds, clientHolds));
    for (String name : alsoRemove) {
      pipeline.remove(name);
    }
    upstream.pipeline().addLast("relay", new Relay(client, stats, false, idle, clientHolds, upstreamHolds));
    upstream.config().setAutoRead(client.isWritable());
    client.config().setAutoRead(upstream.isWritable());
  }
}
