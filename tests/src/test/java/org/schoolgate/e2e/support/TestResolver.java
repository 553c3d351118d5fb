package org.schoolgate.e2e.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server on loopback (UDP and TCP on one port), written with Netty's
 * DNS codec, standing in for the school's resolver behind the DNS guard. It serves:
 * A/AAAA for {@link #WWW}; an HTTPS record with {@code alpn}, {@code ech} and {@code ipv4hint} for
 * {@link #ECH}; an SVCB record with {@code port} and {@code ech} for {@link #SVCB}; 40 TXT records
 * for {@link #BIG}, truncated (TC) over UDP and whole over TCP; an A record and an RRSIG (for DO
 * queries) for {@link #SIGNED}; nothing at all for {@link #SILENT}; the safe-search front end's
 * address; NXDOMAIN for the rest. Answers carry AA, and an NSID option when the query asks for one
 * (so EDNS is seen to pass both ways). It counts queries per name and transport.
 */
public final class TestResolver implements AutoCloseable {
  public static final String WWW = "www.example.test";
  public static final String ECH = "ech.example.test";
  public static final String SVCB = "svcb.example.test";
  public static final String BIG = "big.example.test";
  public static final String SIGNED = "signed.example.test";
  public static final String SILENT = "silent.example.test";
  public static final String SAFE_FRONT_END = "forcesafesearch.google.com";
  public static final String NSID = "test-upstream";
  public static final byte[] ECH_CONFIG = "an ECHConfigList, as far as a test needs".getBytes(StandardCharsets.US_ASCII);
  public static final int TTL = 300;

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel udp;
  private final Channel tcp;
  private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
  public final AtomicInteger tcpQueries = new AtomicInteger();

  public TestResolver(String address) throws InterruptedException {
    this(address, 0);
  }

  /** On {@code port} (0: any free one), UDP and TCP. */
  public TestResolver(String address, int port) throws InterruptedException {
    tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                new SimpleChannelInboundHandler<DnsQuery>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DnsQuery q) {
                    tcpQueries.incrementAndGet();
                    DnsResponse r = new DefaultDnsResponse(q.id());
                    if (fill(q, r, true)) {
                      ctx.writeAndFlush(r);
                    } else {
                      r.release();
                    }
                  }
                });
          }
        }).bind(new InetSocketAddress(address, port)).sync().channel();
    int bound = ((InetSocketAddress) tcp.localAddress()).getPort();
    udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
                    DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
                    if (fill(q, r, false)) {
                      ctx.writeAndFlush(r);
                    } else {
                      r.release();
                    }
                  }
                });
          }
        }).bind(new InetSocketAddress(address, bound)).sync().channel();
  }

  /** Runs on ADDRESS:53 until killed (the "internet" of {@code GatewayNamespaceTest}, in its namespace). */
  public static void main(String[] args) throws InterruptedException {
    TestResolver r = new TestResolver(args[0], 53);
    System.out.println("resolver ready " + r.address());
    Thread.currentThread().join();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) udp.localAddress();
  }

  /** How many queries for {@code name} arrived (UDP and TCP). */
  public int queries(String name) {
    AtomicInteger n = queries.get(name);
    return n == null ? 0 : n.get();
  }

  /** Fills {@code r} for {@code q}; false when the query gets no answer at all. */
  private boolean fill(DnsQuery q, DnsResponse r, boolean overTcp) {
    DnsQuestion question = q.recordAt(DnsSection.QUESTION);
    String name = question.name().toLowerCase(Locale.ROOT);
    name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    queries.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    if (name.equals(SILENT)) {
      return false;
    }
    r.setRecursionDesired(q.isRecursionDesired()).setRecursionAvailable(true).setAuthoritativeAnswer(true);
    r.addRecord(DnsSection.QUESTION, question);
    DnsRecordType type = question.type();
    boolean dnssecOk = false;
    boolean nsid = false;
    for (int i = 0; i < q.count(DnsSection.ADDITIONAL); i++) {
      DnsRecord rec = q.recordAt(DnsSection.ADDITIONAL, i);
      if (rec.type() == DnsRecordType.OPT) {
        dnssecOk = (rec.timeToLive() & 0x8000) != 0;
        nsid = rec instanceof DnsRawRecord raw && hasOption(raw.content(), 3);
      }
    }
    String owner = question.name();
    switch (name) {
      case WWW -> {
        if (type == DnsRecordType.A) {
          r.addRecord(DnsSection.ANSWER, raw(owner, type, new byte[] {(byte) 192, 0, 2, 10}));
        } else if (type == DnsRecordType.AAAA) {
          byte[] v6 = new byte[16];
          v6[0] = 0x20;
          v6[1] = 0x01;
          v6[2] = 0x0d;
          v6[3] = (byte) 0xb8;
          v6[15] = 0x10;
          r.addRecord(DnsSection.ANSWER, raw(owner, type, v6));
        }
      }
      case SAFE_FRONT_END -> {
        if (type == DnsRecordType.A) {
          r.addRecord(DnsSection.ANSWER, raw(owner, type, new byte[] {(byte) 192, 0, 2, 53}));
        }
      }
      case SIGNED -> {
        if (type == DnsRecordType.A) {
          r.addRecord(DnsSection.ANSWER, raw(owner, type, new byte[] {(byte) 192, 0, 2, 46}));
          if (dnssecOk) {
            r.addRecord(DnsSection.ANSWER, raw(owner, DnsRecordType.RRSIG, rrsig()));
          }
        }
      }
      case ECH -> {
        if (type == DnsRecordType.HTTPS) {
          r.addRecord(DnsSection.ANSWER, raw(owner, type, svcb(1, "", List.of(
              param(1, alpn("h2", "h3")), param(4, new byte[] {(byte) 192, 0, 2, 11}), param(5, ECH_CONFIG)))));
        }
      }
      case SVCB -> {
        if (type == DnsRecordType.SVCB) {
          r.addRecord(DnsSection.ANSWER, raw(owner, type, svcb(1, "svc.example.test", List.of(
              param(3, new byte[] {0x20, (byte) 0xfb}), param(5, ECH_CONFIG)))));
        }
      }
      case BIG -> {
        if (type == DnsRecordType.TXT) {
          if (!overTcp) {
            r.setTruncated(true); // the whole answer (about 4 KB) does not fit: ask over TCP
          } else {
            for (int i = 0; i < 40; i++) {
              byte[] text = String.format(Locale.ROOT, "%03d %s", i, "x".repeat(95)).getBytes(StandardCharsets.US_ASCII);
              byte[] rdata = new byte[text.length + 1];
              rdata[0] = (byte) text.length;
              System.arraycopy(text, 0, rdata, 1, text.length);
              r.addRecord(DnsSection.ANSWER, raw(owner, type, rdata));
            }
          }
        }
      }
      default -> r.setCode(DnsResponseCode.NXDOMAIN);
    }
    if (nsid || dnssecOk) {
      byte[] option = nsid ? option(3, NSID.getBytes(StandardCharsets.US_ASCII)) : new byte[0];
      r.addRecord(DnsSection.ADDITIONAL, new DefaultDnsRawRecord(".", DnsRecordType.OPT, 1232, dnssecOk ? 0x8000 : 0,
          Unpooled.wrappedBuffer(option)));
    }
    return true;
  }

  private static DefaultDnsRawRecord raw(String owner, DnsRecordType type, byte[] rdata) {
    return new DefaultDnsRawRecord(owner, type, TTL, Unpooled.wrappedBuffer(rdata));
  }

  private static boolean hasOption(ByteBuf options, int code) {
    for (int i = options.readerIndex(); i + 4 <= options.writerIndex(); i += 4 + options.getUnsignedShort(i + 2)) {
      if (options.getUnsignedShort(i) == code) {
        return true;
      }
    }
    return false;
  }

  private static byte[] option(int code, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(code >>> 8);
    out.write(code);
    out.write(data.length >>> 8);
    out.write(data.length);
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** SvcParams (RFC 9460 section 2.2): key, length, value. */
  public static byte[] param(int key, byte[] value) {
    return option(key, value);
  }

  public static byte[] alpn(String... ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String id : ids) {
      out.write(id.length());
      out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  /** An SVCB/HTTPS RDATA: priority, target (uncompressed; "" is the root), params in key order. */
  public static byte[] svcb(int priority, String target, List<byte[]> params) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(priority >>> 8);
    out.write(priority);
    if (!target.isEmpty()) {
      for (String label : target.split("\\.")) {
        out.write(label.length());
        out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
      }
    }
    out.write(0);
    params.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** An RRSIG's RDATA over the A record (its signature bytes are made up: nothing here validates). */
  private static byte[] rrsig() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 1, 13, 3, 0, 0, 1, 44}); // type covered A, algorithm 13, labels 3, original TTL 300
    out.writeBytes(new byte[] {0x6a, 0, 0, 0, 0x69, 0, 0, 0, 0x12, 0x34}); // expiration, inception, key tag
    out.writeBytes(new byte[] {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0});
    out.writeBytes(new byte[64]);
    return out.toByteArray();
  }

  @Override
  public void close() {
    udp.close().syncUninterruptibly();
    tcp.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
