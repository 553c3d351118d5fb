package org.schoolgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import javax.net.ssl.SSLException;

/**
 * Behind the block page's TLS handler: answers every HTTP request with the same block page
 * (keep-alive, as a browser expects, up to {@value #MAX_REQUESTS} a connection), then closes
 * cleanly (the TLS handler sends close_notify before the close). Request bodies are read and
 * dropped. A handshake that fails, as it does on a device without the school's CA, is counted
 * and closed without a log line: that device sees a certificate warning, which is expected.
 */
final class BlockPageServer extends ChannelInboundHandlerAdapter {
  /** Past this many requests on one connection it is closed after the answer: a client cannot queue pages. */
  static final int MAX_REQUESTS = 20;

  /** The block page, made afresh for each request (a response is released once written). */
  @FunctionalInterface
  interface Page {
    FullHttpResponse make(boolean head);
  }

  private final Page page;
  private final ProxyStats stats;
  private int answered;

  BlockPageServer(Page page, ProxyStats stats) {
    this.page = page;
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof HttpRequest req)) {
        return; // a body, or its end: dropped
      }
      if (req.decoderResult().isFailure()) {
        ctx.close();
        return;
      }
      boolean keepAlive = HttpUtil.isKeepAlive(req) && ++answered < MAX_REQUESTS;
      FullHttpResponse r = page.make(req.method() == HttpMethod.HEAD);
      HttpUtil.setKeepAlive(r, keepAlive);
      var written = ctx.writeAndFlush(r);
      if (!keepAlive) {
        written.addListener(f -> ctx.close());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      stats.blockPage(done.isSuccess() ? ProxyStats.BlockPage.SERVED : ProxyStats.BlockPage.HANDSHAKE_FAILED);
      if (!done.isSuccess()) {
        ctx.close();
      }
    } else if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      ctx.close(); // a failed handshake or a broken record: the device's business, not the log's
    } else {
      Failures.close(ctx, cause);
    }
  }
}
