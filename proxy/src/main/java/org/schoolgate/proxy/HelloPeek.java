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
import java.util.concurrent.TimeUnit;
import org.schoolgate.net.UpstreamFailure;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Reroute;
import org.schoolgate.tls.ClientHello;

/**
 * Peek, decide, step aside (the shape of Netty's {@code SslClientHelloHandler}): holds the first
 * bytes of a TLS connection until the ClientHello is whole (the parser caps its size), or until
 * {@code helloTimeout} passes on the channel's own scheduler, counts what it found, and hands
 * the outcome to the subclass's decide hooks, which refuse the connection or {@link #connect}
 * it. The held bytes are the subclass's to take ({@link #takeHeld}) and send on unchanged: to
 * the upstream, or for a blocked managed device to the HTTPS block page's {@code SslHandler}
 * (SPEC section 9). Nothing allowed is ever decrypted.
 */
abstract class HelloPeek extends ChannelInboundHandlerAdapter {
  /** A fatal TLS alert, access_denied(49), sent before closing a refused TLS connection. */
  private static final byte[] ACCESS_DENIED = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31};

  protected final ProxyContext px;
  protected final Exchange exchange;
  private ByteBuf held;
  private ScheduledFuture<?> timeout;
  private boolean decided;

  HelloPeek(ProxyContext px, Exchange exchange) {
    this.px = px;
    this.exchange = exchange;
  }

  /** A ClientHello arrived; {@code name} is what the policy sees in it. */
  protected abstract void onHello(ChannelHandlerContext ctx, HelloName name);

  /** No usable ClientHello: {@code detail} says what came instead (not TLS, too large, none in time). */
  protected abstract void onNoHello(ChannelHandlerContext ctx, String detail);

  /** The client hung up before a hello: one access line, no event. */
  protected abstract void onClosedEarly(ChannelHandlerContext ctx);

  /** Whether a refused TLS client is sent an access_denied alert before the close. */
  protected boolean alertOnRefusal() {
    return true;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx); // added to a live channel: a CONNECT tunnel after its 200
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  private void start(ChannelHandlerContext ctx) {
    if (held != null) {
      return;
    }
    held = ctx.alloc().buffer(2048);
    timeout = ctx.executor().schedule(() -> {
      if (!decided) {
        decided = true;
        px.stats.hello(ProxyStats.Hello.TIMEOUT);
        onNoHello(ctx, "no ClientHello within " + px.helloTimeout.toSeconds() + " s");
      }
    }, px.helloTimeout.toNanos(), TimeUnit.NANOSECONDS);
    ctx.channel().config().setAutoRead(true);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in) || held == null) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      exchange.bytesUp += in.readableBytes();
      held.writeBytes(in);
    } finally {
      in.release();
    }
    if (decided) {
      return; // read in the same loop as the hello, before reading stopped: it goes on after the hello
    }
    ClientHello.Result hello = ClientHello.parse(held);
    if (hello.status() == ClientHello.Status.NEED_MORE) {
      return;
    }
    decided = true;
    timeout.cancel(false);
    switch (hello.status()) {
      case HELLO -> {
        px.stats.hello(ProxyStats.Hello.FOUND);
        onHello(ctx, HelloName.of(hello, px.config.circumvention().echPublicNames()));
      }
      case TOO_LARGE -> {
        px.stats.hello(ProxyStats.Hello.TOO_LARGE);
        onNoHello(ctx, hello.detail());
      }
      default -> {
        px.stats.hello(ProxyStats.Hello.NONE);
        onNoHello(ctx, "not a TLS ClientHello" + (hello.detail() == null ? "" : ": " + hello.detail()));
      }
    }
  }

  /** The held bytes, now the caller's to send on or release. */
  protected final ByteBuf takeHeld() {
    ByteBuf b = held;
    held = null;
    return b;
  }

  /**
   * Refuses the connection: logs it now, and once the decision's event (if any) is written,
   * sends a TLS alert if the client spoke TLS, and closes. No upstream connection is made.
   * With a {@code pageName}, a managed device within its handshake budget is shown the HTTPS
   * block page for that name instead ({@link HttpsBlockPage}); {@code null}: never (no name).
   */
  protected final void refuse(ChannelHandlerContext ctx, Decision d, String host, String pageName) {
    timeout.cancel(false);
    decided = true;
    exchange.decision = d;
    exchange.status = 403;
    exchange.ref = px.ref(exchange.client, host);
    Channel ch = ctx.channel();
    boolean tls = alertOnRefusal() && held != null && held.readableBytes() > 0
        && held.getUnsignedByte(held.readerIndex()) == 22;
    boolean page = pageName != null && px.blockPage.covers(exchange.client);
    if (page) {
      ch.config().setAutoRead(false); // the hello is kept for the page; what follows it waits in the socket
    } else {
      releaseHeld();
    }
    px.access(exchange.toRecord(px, host, exchange.target.port()));
    px.refuse(ch, d, host, () -> {
      if (page && held != null && ch.isActive() && px.blockPage.admit(ch, exchange.client, px.stats)) {
        blockPage(ctx, pageName);
        return;
      }
      releaseHeld();
      if (tls && ch.isActive()) {
        ch.writeAndFlush(Unpooled.wrappedBuffer(ACCESS_DENIED)).addListener(ChannelFutureListener.CLOSE);
      } else {
        ch.close();
      }
    });
  }

  /**
   * Hands the held ClientHello (of a managed device, {@link HttpsBlockPage#covers}) to the HTTPS block page for {@code name}, which takes this
   * handler's place; the block page shown is the one for {@code exchange}'s decision and reference
   * (with staff's "ask for a review" link for https://name/).
   */
  protected final void blockPage(ChannelHandlerContext ctx, String name) {
    timeout.cancel(false);
    decided = true;
    Decision d = exchange.decision;
    String ref = exchange.ref;
    Pages.Reader reader = px.reader(exchange.client, "https", name, "/", d, ref);
    px.blockPage.serve(px, ctx.channel(), this, takeHeld(), name,
        head -> Pages.blocked(d, name, ref, px.engine.clock().instant(), px.zone, head, reader));
  }

  /**
   * Connects to {@code host:port}, or to the enforced front end of {@code reroute} when it is set
   * (SPEC section 10: the client's hello, and so its server name, goes on unchanged), sends the
   * held bytes first, and replaces this handler with a byte relay. A failure closes the client
   * (a tunnel has no way to say why) and is logged.
   */
  protected final void connect(ChannelHandlerContext ctx, String host, int port, Reroute reroute) {
    timeout.cancel(false);
    decided = true;
    Channel client = ctx.channel();
    client.config().setAutoRead(false);
    String destination = exchange.route(reroute, host);
    Channel ready = opened(destination, port);
    if (ready != null) {
      joinOrDrop(client, ready, host, port);
      return;
    }
    Future<Channel> f = px.connector.connect(destination, port, client.eventLoop(), px.tunnelUpstream);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        UpstreamFailure failure = UpstreamFailure.of(done.cause(), destination, port);
        px.stats.upstreamFailed(failure.kind().label);
        exchange.status = failure.kind().status;
        if (failure.kind() == UpstreamFailure.Kind.SELF) {
          exchange.decision = Refusals.self(exchange, failure.getMessage());
        }
        releaseHeld();
        px.access(exchange.toRecord(px, host, port));
        client.close();
        return;
      }
      joinOrDrop(client, (Channel) done.getNow(), host, port);
    });
  }

  /**
   * An upstream connection already open to {@code destination:port} (a CONNECT's, opened before
   * its 200), now the caller's to use; null (the default) when there is none, and then it is dialled.
   */
  protected Channel opened(String destination, int port) {
    return null;
  }

  private void joinOrDrop(Channel client, Channel up, String host, int port) {
    if (!client.isActive()) {
      up.close();
      releaseHeld();
      exchange.status = 499; // the client left while we connected: still one line per connection
      px.access(exchange.toRecord(px, host, port));
      return;
    }
    exchange.status = 200;
    exchange.bytesUp = 0; // the join counts the hello again
    Tunnel.join(px, client, up, exchange, this, takeHeld());
  }

  private void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (!decided) {
      decided = true;
      px.stats.hello(ProxyStats.Hello.CLOSED);
      exchange.status = 499;
      onClosedEarly(ctx);
    }
    releaseHeld();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    releaseHeld();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Failures.close(ctx, cause);
  }
}
