package org.schoolgate.identity;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.schoolgate.values.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounting listener (RFC 2866 over UDP): drops datagrams from outside {@code clients},
 * malformed ones and those whose Request Authenticator does not verify, counting each; hands a good
 * one to {@link Identities} (the store, off the event loop) and answers it with an
 * Accounting-Response once its change is in force. The equipment retransmits an unanswered
 * request, so a request that cannot be stored is simply not answered.
 */
@ChannelHandler.Sharable
public final class RadiusHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(RadiusHandler.class);
  /** Requests waiting for the store at once; past it they go unanswered (and are retransmitted). */
  static final int MAX_PENDING = 1024;

  private final List<Cidr> clients;
  private final byte[] secret;
  private final Identities identities;
  private final RadiusCounters counters;
  private final AtomicInteger pending = new AtomicInteger();

  public RadiusHandler(List<Cidr> clients, byte[] secret, Identities identities, RadiusCounters counters) {
    this.clients = List.copyOf(clients);
    this.secret = secret.clone();
    this.identities = identities;
    this.counters = counters;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    InetSocketAddress sender = packet.sender();
    InetAddress from = sender.getAddress();
    if (!allowed(from)) {
      counters.count(RadiusPacket.Outcome.UNKNOWN_CLIENT);
      return;
    }
    if (packet.content().readableBytes() > RadiusPacket.MAX) {
      counters.count(RadiusPacket.Outcome.MALFORMED);
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(packet.content());
    RadiusPacket.Read read = RadiusPacket.read(bytes, secret, from);
    counters.count(read.outcome());
    if (read.outcome() != RadiusPacket.Outcome.ACCEPTED) {
      return;
    }
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      return;
    }
    identities.apply(read.accounting()).whenComplete((ok, e) -> {
      pending.decrementAndGet();
      if (e != null) {
        log.warn("accounting from {} not stored, left unanswered for the equipment to send again: {}",
            from.getHostAddress(), e.getMessage());
        return;
      }
      ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(RadiusPacket.response(bytes, secret)), sender));
    });
  }

  private boolean allowed(InetAddress from) {
    for (Cidr c : clients) {
      if (c.contains(from)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("accounting listener: {}", cause.toString()); // a datagram channel stays open for the next packet
  }
}
