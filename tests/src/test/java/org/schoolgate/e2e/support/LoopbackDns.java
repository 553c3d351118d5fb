package org.schoolgate.e2e.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on loopback that knows only the names a test gives it and answers NXDOMAIN for
 * the rest, so the proxy's real asynchronous resolver is exercised and no query leaves the machine.
 */
public final class LoopbackDns implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;
  private final Map<String, InetAddress> names = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();

  public LoopbackDns() throws InterruptedException {
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
                    answer(ctx, query);
                  }
                });
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  public void put(String name, InetAddress address) {
    names.put(name.toLowerCase(Locale.ROOT), address);
  }

  public int queries() {
    return queries.get();
  }

  private void answer(ChannelHandlerContext ctx, DatagramDnsQuery query) {
    queries.incrementAndGet();
    DnsQuestion q = query.recordAt(DnsSection.QUESTION);
    String name = q.name().toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    InetAddress a = names.get(name);
    DatagramDnsResponse r = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
    r.addRecord(DnsSection.QUESTION, q);
    boolean v4 = q.type() == DnsRecordType.A;
    if (a == null) {
      r.setCode(DnsResponseCode.NXDOMAIN);
    } else if ((v4 && a.getAddress().length == 4) || (q.type() == DnsRecordType.AAAA && a.getAddress().length == 16)) {
      r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), q.type(), 60, Unpooled.wrappedBuffer(a.getAddress())));
    }
    ctx.writeAndFlush(r);
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
