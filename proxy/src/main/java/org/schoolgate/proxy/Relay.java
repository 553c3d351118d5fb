package org.schoolgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Copies bytes from its channel to the peer. Backpressure: when the peer's outbound buffer
 * passes its high-water mark the peer becomes unwritable and this side stops reading until it
 * drains, so a tunnel holds at most one water mark of data per direction.
 */
final class Relay extends ChannelInboundHandlerAdapter {
  private final Channel peer;
  private final TunnelStats stats;
  private final boolean towardUpstream;
  private final long idleNanos;
  /** What {@code peer} holds queued, and what this side's channel holds (both charged to the client). */
  private final BufferBudget.Account peerHolds;
  private final BufferBudget.Account ownHolds;

  Relay(Channel peer, TunnelStats stats, boolean towardUpstream, long idleNanos, BufferBudget.Account peerHolds,
        BufferBudget.Account ownHolds) {
    this.peer = peer;
    this.stats = stats;
    this.towardUpstream = towardUpstream;
    this.idleNanos = idleNanos;
    this.peerHolds = peerHolds;
    this.ownHolds = ownHolds;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      stats.count(towardUpstream, buf.readableBytes());
    }
    peer.write(msg, peer.voidPromise());
    if (!peerHolds.charge(peer)) {
      reset(peer); // the peer reads too slowly for the memory budget: the tunnel ends, its buffers freed now
      reset(ctx.channel());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
    peerHolds.refund(peer); // what the flush wrote out is no longer held
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ownHolds.refund(ctx.channel());
    peer.config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ownHolds.close();
    closeOnFlush(peer);
    stats.closed();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      // This side has read nothing for the idle timeout; close only if the other side has not either.
      if (stats.idleNanos() >= idleNanos) {
        ctx.close();
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Failures.close(ctx, cause);
  }

  /**
   * Closes {@code ch} at once with a reset (SO_LINGER 0): what is queued for it, in Netty and in
   * the kernel, is dropped now rather than held until a slow peer has read it.
   */
  static void reset(Channel ch) {
    if (ch.isActive()) {
      ch.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
    }
    ch.close();
  }

  static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
