package org.schoolgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.schoolgate.net.UpstreamFailure;

/**
 * An allowed CONNECT between its decision and its answer (SPEC section 4): the upstream for the
 * CONNECT's target (or its enforced front end) is connected first, and only then is the client
 * answered — {@code 200} and a tunnel, or {@code 502}/{@code 504} with a sentence (403 for a loop
 * to ourselves) and a close. The HTTP codec is already gone, so bytes the client sent after the
 * CONNECT (a ClientHello in the same segment) are held here, unread by anything else, and handed
 * on first; reading pauses meanwhile. On an HTTPS port the hello is still decided after the 200
 * ({@link ConnectPeekHandler}), which is given the open upstream to use when the hello goes there.
 */
final class ConnectHold extends ChannelInboundHandlerAdapter {
  static final String NAME = "connect";
  private static final byte[] ESTABLISHED =
      "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ProxyContext px;
  private final Exchange exchange;
  /** An HTTPS port: the ClientHello is peeked and decided after the 200. */
  private final boolean peekHello;
  private ByteBuf held;
  /** The client has been answered, or has left: nothing more to do here. */
  private boolean answered;
  private ChannelHandlerContext ctx;

  ConnectHold(ProxyContext px, Exchange exchange, boolean peekHello) {
    this.px = px;
    this.exchange = exchange;
    this.peekHello = peekHello;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().config().setAutoRead(false);
  }

  /** Connects upstream; called once this handler is the last one left of the HTTP pipeline. */
  void connect() {
    String host = exchange.target.host();
    int port = exchange.target.port();
    String destination = exchange.route(exchange.decision.reroute(), host);
    px.connector.connect(destination, port, ctx.channel().eventLoop(), px.tunnelUpstream).addListener(done -> {
      if (answered) {
        if (done.isSuccess()) {
          ((Channel) done.getNow()).close(); // the client left while we connected
        }
      } else if (done.isSuccess()) {
        established(ctx, (Channel) done.getNow(), destination);
      } else {
        failed(ctx, UpstreamFailure.of(done.cause(), destination, port));
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in) || answered) {
      ReferenceCountUtil.release(msg); // the CONNECT's empty last content
      return;
    }
    if (held == null) {
      held = ctx.alloc().buffer(Math.max(256, in.readableBytes()));
    }
    held.writeBytes(in);
    in.release();
  }

  private void established(ChannelHandlerContext ctx, Channel up, String destination) {
    answered = true;
    px.activeExchanges.decrementAndGet(); // tunnels are long-lived; shutdown does not wait for them
    Channel client = ctx.channel();
    client.writeAndFlush(Unpooled.wrappedBuffer(ESTABLISHED));
    ByteBuf first = held != null ? held : Unpooled.EMPTY_BUFFER;
    held = null;
    if (peekHello) {
      ctx.pipeline().replace(this, "peek", new ConnectPeekHandler(px, exchange, up, destination));
      if (first.isReadable()) {
        client.pipeline().fireChannelRead(first); // the hello that came with the CONNECT, peeked first
      } else {
        first.release();
      }
    } else {
      exchange.status = 200;
      Tunnel.join(px, client, up, exchange, this, first);
    }
  }

  private void failed(ChannelHandlerContext ctx, UpstreamFailure failure) {
    answered = true;
    px.activeExchanges.decrementAndGet();
    px.stats.upstreamFailed(failure.kind().label);
    FullHttpResponse page = Refusals.upstream(failure, exchange, px);
    exchange.status = page.status().code();
    exchange.bytesDown = page.content().readableBytes();
    HttpUtil.setKeepAlive(page, false); // what the client sent after its CONNECT is not HTTP to read on
    releaseHeld();
    px.access(exchange.toRecord(px, exchange.target.host(), exchange.target.port()));
    ctx.pipeline().addBefore(NAME, "encoder", new HttpResponseEncoder());
    ctx.writeAndFlush(page).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!answered) {
      answered = true;
      px.activeExchanges.decrementAndGet();
      exchange.status = 499; // the client left before its answer: still one line for it
      px.access(exchange.toRecord(px, exchange.target.host(), exchange.target.port()));
    }
    releaseHeld();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  private void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Failures.close(ctx, cause);
  }
}
