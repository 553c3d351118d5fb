package org.schoolgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.schoolgate.policy.Access;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.policy.Decision;
import org.schoolgate.tls.ClientHello;

/**
 * The first bytes of an allowed CONNECT tunnel to port 443, before they go upstream: they must
 * be a TLS ClientHello, and its server name is decided too, so that "CONNECT allowed.example:443"
 * followed by a hello for a blocked site on the same front-end servers, or a VPN speaking
 * something else on 443, gets nowhere. Then it steps aside for the byte relay.
 */
final class ConnectPeekHandler extends ChannelInboundHandlerAdapter {
  private final ProxyContext px;
  private final Exchange exchange;
  private final Channel upstream;
  private ByteBuf buffered;
  private ScheduledFuture<?> timeout;
  private boolean decided;

  ConnectPeekHandler(ProxyContext px, Exchange exchange, Channel upstream) {
    this.px = px;
    this.exchange = exchange;
    this.upstream = upstream;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    buffered = ctx.alloc().buffer(2048);
    timeout = ctx.executor().schedule(() -> {
      px.stats.hello(ProxyStats.Hello.TIMEOUT);
      verdict(ctx, px.engine.anomaly(exchange.client, CircumventionKind.NOT_TLS,
          "no ClientHello within " + px.helloTimeout.toSeconds() + " s in a tunnel to port 443"));
    }, px.helloTimeout.toMillis(), TimeUnit.MILLISECONDS);
    upstream.closeFuture().addListener(f -> {
      if (!decided) {
        ctx.close(); // the upstream gave up while we waited for the hello; after that the relay handles it
      }
    });
    ctx.channel().config().setAutoRead(true);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (decided || !(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      buffered.writeBytes(in);
    } finally {
      in.release();
    }
    ClientHello.Result hello = ClientHello.parse(buffered);
    if (hello.status() == ClientHello.Status.NEED_MORE) {
      return;
    }
    String tunnelHost = exchange.target.host();
    px.stats.hello(hello.status() == ClientHello.Status.HELLO ? ProxyStats.Hello.FOUND
        : hello.status() == ClientHello.Status.TOO_LARGE ? ProxyStats.Hello.TOO_LARGE : ProxyStats.Hello.NONE);
    if (hello.status() != ClientHello.Status.HELLO) {
      verdict(ctx, px.engine.anomaly(exchange.client, CircumventionKind.NOT_TLS,
          "not TLS in a tunnel to " + tunnelHost + ":443" + (hello.detail() == null ? "" : ": " + hello.detail())));
      return;
    }
    HelloName name = HelloName.of(hello, px.config.circumvention().echPublicNames());
    if (name.anomaly() != null) {
      verdict(ctx, px.engine.anomaly(exchange.client, name.anomaly(), name.detail() + " in a tunnel to " + tunnelHost));
    } else if (name.host().equals(tunnelHost)) {
      verdict(ctx, exchange.decision);
    } else {
      verdict(ctx, px.engine.decide(exchange.client, name.host(), exchange.target.port(), Access.TLS));
    }
  }

  private void verdict(ChannelHandlerContext ctx, Decision d) {
    if (decided) {
      return;
    }
    decided = true;
    timeout.cancel(false);
    Channel client = ctx.channel();
    if (d.allowed()) {
      ByteBuf hello = buffered;
      buffered = null;
      Tunnel.join(px, client, upstream, exchange, this, hello);
      return;
    }
    exchange.decision = d;
    exchange.status = 403;
    exchange.ref = Refs.next();
    buffered.release();
    buffered = null;
    upstream.close();
    px.access(exchange.toRecord(px, exchange.target.host(), exchange.target.port()));
    px.refuse(client, d, exchange.target.host(), client::close);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!decided) {
      decided = true;
      timeout.cancel(false);
      upstream.close();
      exchange.status = 499;
      px.access(exchange.toRecord(px, exchange.target.host(), exchange.target.port()));
    }
    if (buffered != null) {
      buffered.release();
      buffered = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
