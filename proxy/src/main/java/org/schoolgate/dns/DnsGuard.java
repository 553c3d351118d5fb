package org.schoolgate.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.schoolgate.config.Config;
import org.schoolgate.net.HostsFile;
import org.schoolgate.net.Transport;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.values.Cidr;

/**
 * The DNS guard's listeners on {@code listen.dns} (SPEC 14): UDP (one socket per event loop
 * with SO_REUSEPORT on epoll, so every core answers) and TCP (RFC 7766 framing, several queries
 * a connection, closed after 10 s idle), both handing each query to {@link Guard}.
 */
public final class DnsGuard implements AutoCloseable {
  /** SPEC 14: SERVFAIL when no upstream answers within 2 s in all. */
  public static final Duration DEADLINE = Duration.ofSeconds(2);
  static final Duration TCP_IDLE = Duration.ofSeconds(10);

  private final List<Channel> channels = new ArrayList<>();
  private final Upstreams upstreams;
  private final DnsStats stats = new DnsStats();
  private final InetSocketAddress address;

  private DnsGuard(Config config, PolicyEngine engine, HostsFile hosts, DnsSink sink, Clock clock,
                   Transport transport, EventLoopGroup boss, EventLoopGroup workers, Duration deadline)
      throws IOException, InterruptedException {
    Config.Dns dns = config.dns();
    this.upstreams = new Upstreams(dns.upstream(), deadline, transport, workers);
    List<Cidr> clients = new ArrayList<>();
    config.networks().values().forEach(clients::addAll);
    clients.addAll(config.admin().allowFrom());
    Guard guard = new Guard(List.copyOf(clients), engine, hosts, upstreams, new DnsCache(dns.cache(), clock), stats,
        sink, dns.stripEch(), dns.logQueries(), dns.queriesPerClient(), clock);
    try {
      InetSocketAddress want = config.listen().dns();
      Channel tcp = bindOrFail(new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new IdleStateHandler(0, 0, TCP_IDLE.toMillis(), TimeUnit.MILLISECONDS),
                  new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2), new TcpQueries(guard));
            }
          }).bind(want), want);
      this.address = (InetSocketAddress) tcp.localAddress();
      boolean epoll = transport.name().equals("epoll");
      int sockets = epoll ? countLoops(workers) : 1;
      for (int i = 0; i < sockets; i++) {
        Bootstrap udp = new Bootstrap().group(workers).channel(transport.datagramChannel())
            .option(ChannelOption.SO_RCVBUF, 4 << 20)
            .handler(new UdpQueries(guard));
        if (epoll) {
          udp.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        bindOrFail(udp.bind(address), address);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts the guard on {@code listen.dns}.
   *
   * @param deadline how long the upstreams have to answer in all ({@link #DEADLINE}; tests may shorten it)
   */
  public static DnsGuard start(Config config, PolicyEngine engine, HostsFile hosts, DnsSink sink, Clock clock,
                               Transport transport, EventLoopGroup boss, EventLoopGroup workers, Duration deadline)
      throws IOException, InterruptedException {
    return new DnsGuard(config, engine, hosts, sink, clock, transport, boss, workers, deadline);
  }

  private static int countLoops(EventLoopGroup group) {
    int n = 0;
    for (var ignored : group) {
      n++;
    }
    return n;
  }

  private Channel bindOrFail(io.netty.channel.ChannelFuture f, InetSocketAddress a) throws IOException, InterruptedException {
    f.await();
    if (!f.isSuccess()) {
      throw new IOException("cannot listen on " + a.getAddress().getHostAddress() + ":" + a.getPort() + " for dns: "
          + f.cause().getMessage(), f.cause());
    }
    channels.add(f.channel());
    return f.channel();
  }

  /** The bound address (UDP and TCP share it). */
  public InetSocketAddress address() {
    return address;
  }

  public DnsStats stats() {
    return stats;
  }

  @Override
  public void close() {
    for (Channel c : channels) {
      c.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    upstreams.close();
  }

  /** Answers go out in batches: written during a read burst, flushed when it ends (or at once if later). */
  private static final class UdpQueries extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Guard guard;
    private boolean reading;

    UdpQueries(Guard guard) {
      this.guard = guard;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      reading = true;
      InetSocketAddress sender = packet.sender();
      guard.handle(ctx.channel().eventLoop(), ctx.alloc(), sender.getAddress(), ByteBufUtil.getBytes(packet.content()),
          false, answer -> {
            DatagramPacket out = new DatagramPacket(answer, sender);
            if (reading) {
              ctx.write(out, ctx.voidPromise());
            } else {
              ctx.writeAndFlush(out, ctx.voidPromise());
            }
          });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      reading = false;
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // an ICMP error for one client's answer: nothing to do, the socket serves the others
    }
  }

  /** One query per frame; answers in whatever order they are ready (RFC 7766 allows it). */
  private static final class TcpQueries extends SimpleChannelInboundHandler<ByteBuf> {
    private final Guard guard;

    TcpQueries(Guard guard) {
      this.guard = guard;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
      guard.handle(ctx.channel().eventLoop(), ctx.alloc(), remote.getAddress(), ByteBufUtil.getBytes(frame), true,
          answer -> {
            if (ctx.channel().isActive()) {
              ctx.write(ctx.alloc().buffer(2).writeShort(answer.readableBytes()), ctx.voidPromise());
              ctx.writeAndFlush(answer, ctx.voidPromise());
            } else {
              answer.release();
            }
          });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a frame too long, or the peer went away
    }
  }
}
