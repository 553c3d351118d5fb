package org.schoolgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.schoolgate.net.OriginalDestination;
import org.schoolgate.net.UpstreamFailure;
import org.schoolgate.policy.Access;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.policy.Decision;
import org.schoolgate.tls.ClientHello;

/**
 * Peek, decide, step aside: buffers the first bytes of an intercepted TLS connection until the
 * ClientHello is complete (with a size cap and a timeout), decides on its server name, and then
 * either closes the connection (with a TLS alert, and no upstream connection is ever made) or
 * connects upstream, forwards the buffered bytes and replaces itself with a byte relay.
 * Nothing is decrypted.
 */
final class TlsPeekHandler extends ChannelInboundHandlerAdapter {
  /** A fatal TLS alert, access_denied(49), sent before closing a blocked connection. */
  private static final byte[] ACCESS_DENIED = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31};

  private final ProxyContext px;
  private ByteBuf buffered;
  private ScheduledFuture<?> timeout;
  private Exchange exchange;
  private InetSocketAddress dst;
  /** Where the client was going: the original destination's port, or upstream.tls_port. */
  private int port;
  private boolean decided;

  TlsPeekHandler(ProxyContext px) {
    this.px = px;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    InetAddress client = ProxyContext.addressOf(ch.remoteAddress());
    exchange = new Exchange(client, "TLS", ListenerKind.INTERCEPT_TLS);
    dst = OriginalDestination.of(ch);
    exchange.dst = dst == null ? null : dst.getAddress().getHostAddress() + ":" + dst.getPort();
    port = dst != null ? dst.getPort() : px.config.upstream().tlsPort();
    buffered = ctx.alloc().buffer(2048);
    timeout = ctx.executor().schedule(() -> {
      px.stats.hello(ProxyStats.Hello.TIMEOUT);
      anomaly(ctx, CircumventionKind.NOT_TLS, "no ClientHello within " + px.helloTimeout.toSeconds() + " s", null);
    }, px.helloTimeout.toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (decided || !(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      exchange.bytesUp += in.readableBytes();
      buffered.writeBytes(in);
    } finally {
      in.release();
    }
    ClientHello.Result hello = ClientHello.parse(buffered);
    switch (hello.status()) {
      case NEED_MORE:
        return;
      case NOT_TLS:
        px.stats.hello(ProxyStats.Hello.NONE);
        anomaly(ctx, CircumventionKind.NOT_TLS, "not a TLS ClientHello: " + hello.detail(), null);
        return;
      case TOO_LARGE:
        px.stats.hello(ProxyStats.Hello.TOO_LARGE);
        anomaly(ctx, CircumventionKind.NOT_TLS, hello.detail(), null);
        return;
      default:
        px.stats.hello(ProxyStats.Hello.FOUND);
        onHello(ctx, hello);
    }
  }

  private void onHello(ChannelHandlerContext ctx, ClientHello.Result hello) {
    HelloName name = HelloName.of(hello, px.config.circumvention().echPublicNames());
    if (name.anomaly() != null) {
      anomaly(ctx, name.anomaly(), name.detail(), name.host());
      return;
    }
    String sni = name.host();
    exchange.target = new Target(sni, port, "", sni);
    Decision d = px.engine.decide(exchange.client, sni, port, Access.TLS);
    exchange.decision = d;
    if (!d.allowed()) {
      refuse(ctx, d, sni);
      return;
    }
    connect(ctx, sni, port);
  }

  /** A connection with no usable name: blocked for groups that block circumvention, else sent where it was going. */
  private void anomaly(ChannelHandlerContext ctx, CircumventionKind kind, String detail, String host) {
    if (decided) {
      return;
    }
    Decision d = px.engine.anomaly(exchange.client, kind, detail);
    exchange.decision = d;
    String shown = host != null ? host : dst != null ? dst.getAddress().getHostAddress() : "";
    exchange.target = new Target(shown, port, "", shown);
    if (!d.allowed()) {
      refuse(ctx, d, shown);
    } else if (dst != null && host == null && kind != CircumventionKind.NOT_TLS) {
      connect(ctx, dst.getAddress().getHostAddress(), dst.getPort()); // no name, but the kernel knows the destination
    } else if (host != null) {
      connect(ctx, host, exchange.target.port());
    } else {
      refuse(ctx, d, shown); // nowhere to send it
    }
  }

  /** Logs the refusal now; the alert and close follow once its event (if any) is written. */
  private void refuse(ChannelHandlerContext ctx, Decision d, String host) {
    decided = true;
    cancelTimeout();
    exchange.status = 403;
    exchange.ref = Refs.next();
    Channel ch = ctx.channel();
    boolean tls = buffered.readableBytes() > 0 && buffered.getUnsignedByte(buffered.readerIndex()) == 22;
    releaseBuffer();
    px.access(exchange.toRecord(px, "", 0));
    px.refuse(ch, d, host, () -> {
      if (tls && ch.isActive()) {
        ch.writeAndFlush(Unpooled.wrappedBuffer(ACCESS_DENIED)).addListener(ChannelFutureListener.CLOSE);
      } else {
        ch.close();
      }
    });
  }

  private void connect(ChannelHandlerContext ctx, String host, int port) {
    decided = true;
    cancelTimeout();
    Channel client = ctx.channel();
    client.config().setAutoRead(false);
    Future<Channel> f = px.connector.connect(host, port, client.eventLoop(), px.tunnelUpstream);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        UpstreamFailure failure = UpstreamFailure.of(done.cause(), host, port);
        px.stats.upstreamFailed(failure.kind().label);
        exchange.status = failure.kind().status;
        if (failure.kind() == UpstreamFailure.Kind.SELF) {
          exchange.decision = Refusals.self(exchange, failure.getMessage());
        }
        releaseBuffer();
        px.access(exchange.toRecord(px, host, port));
        client.close();
        return;
      }
      Channel up = (Channel) done.getNow();
      if (!client.isActive()) {
        up.close();
        releaseBuffer();
        exchange.status = 499; // the client left while we connected: still one line per connection
        px.access(exchange.toRecord(px, host, port));
        return;
      }
      exchange.status = 200;
      ByteBuf hello = buffered;
      buffered = null;
      exchange.bytesUp = 0; // the join counts the hello again
      Tunnel.join(px, client, up, exchange, this, hello);
    });
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  private void releaseBuffer() {
    if (buffered != null) {
      buffered.release();
      buffered = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimeout();
    if (!decided && exchange != null) {
      decided = true;
      exchange.status = 499;
      px.stats.hello(ProxyStats.Hello.CLOSED);
      exchange.decision = px.engine.anomaly(exchange.client, CircumventionKind.NOT_TLS, "closed before a ClientHello");
      if (exchange.target == null) {
        exchange.target = new Target("", px.config.upstream().tlsPort(), "", "");
      }
      // A client that hangs up before saying anything is not an attempt at anything: log it, raise no event.
      px.access(exchange.toRecord(px, "", 0));
    }
    releaseBuffer();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
