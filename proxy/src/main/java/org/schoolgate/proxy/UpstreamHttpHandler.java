package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The upstream side of a relayed HTTP exchange: hands every response part to the frontend. */
final class UpstreamHttpHandler extends ChannelInboundHandlerAdapter {
  private final Forwarder frontend;

  UpstreamHttpHandler(Forwarder frontend) {
    this.frontend = frontend;
  }

  /** The upstream pipeline: idle timeout, HTTP client codec, this handler. */
  static final class Initializer extends ChannelInitializer<Channel> {
    private final Forwarder frontend;
    private final Duration idle;

    Initializer(Forwarder frontend, Duration idle) {
      this.frontend = frontend;
      this.idle = idle;
    }

    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline()
          .addLast("idle", new IdleStateHandler(idle.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
          .addLast("http", new HttpClientCodec(new HttpDecoderConfig()
              .setMaxInitialLineLength(8192).setMaxHeaderSize(65536).setMaxChunkSize(65536).setValidateHeaders(false),
              false, false))
          .addLast("upstream", new UpstreamHttpHandler(frontend));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    frontend.read(ctx.channel(), msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    frontend.readComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    frontend.writabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    frontend.closed(ctx.channel());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Failures.close(ctx, cause);
  }
}
