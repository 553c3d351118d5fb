package org.schoolgate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A request head must be complete within {@code limits.request_head_timeout} of its first
 * byte, however slowly the bytes come (the idle timeout alone is reset by every byte, which is
 * how slowloris holds a connection for ever). Sits in front of the codec, so it sees bytes:
 * the first bytes read while the frontend awaits a head start the clock, and the frontend stops
 * it when the head is decoded. One timer per connection, re-armed only when it fires: nothing
 * is scheduled per request. Past the deadline the client gets 408 and the connection closes.
 * Time is the event loop's ticker, so a test's EmbeddedChannel can move it.
 */
final class HeadDeadline extends ChannelInboundHandlerAdapter {
  static final String NAME = "head-deadline";
  private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
      + "Content-Length: 45\r\nConnection: close\r\n\r\nThe request took too long to arrive. Closing.").getBytes(StandardCharsets.US_ASCII);

  private final long timeoutNanos;
  private final Runnable onTimeout;
  private boolean awaiting = true;
  /** When the head now arriving started, by System.nanoTime; 0 when none is arriving. */
  private long startedAt;
  private ScheduledFuture<?> timer;

  HeadDeadline(long timeoutNanos, Runnable onTimeout) {
    this.timeoutNanos = timeoutNanos;
    this.onTimeout = onTimeout;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (awaiting && startedAt == 0) {
      startedAt = ctx.executor().ticker().nanoTime();
      if (timer == null) {
        arm(ctx, timeoutNanos);
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** The head arrived: the clock stops until the frontend awaits the next one. */
  void headArrived() {
    awaiting = false;
    startedAt = 0;
  }

  /** The frontend is ready for the next request's head. */
  void awaitHead() {
    awaiting = true;
  }

  private void arm(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check(ChannelHandlerContext ctx) {
    timer = null;
    if (!ctx.channel().isActive() || startedAt == 0) {
      return;
    }
    long left = timeoutNanos - (ctx.executor().ticker().nanoTime() - startedAt);
    if (left > 0) {
      arm(ctx, left);
      return;
    }
    onTimeout.run();
    ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    handlerRemoved(ctx);
    ctx.fireChannelInactive();
  }
}
