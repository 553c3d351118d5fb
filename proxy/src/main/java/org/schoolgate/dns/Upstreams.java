package org.schoolgate.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.schoolgate.net.Transport;

/**
 * Asks the upstream resolvers, never blocking: one UDP socket per event loop (its answers arrive
 * on the loop that asked), a fresh random ID per question (the client's is put back by the
 * caller), answers accepted only from a server asked and only for the question asked. The
 * servers are tried in turn, each for its share of the deadline; a truncated answer is asked
 * again over TCP of the same server. The promise fails when nothing answered within the
 * deadline (2 s in all, SPEC 14); it completes with the truncated answer if TCP fails.
 */
final class Upstreams implements AutoCloseable {
  private final List<InetSocketAddress> servers;
  private final long deadlineNanos;
  private final long attemptNanos;
  private final Transport transport;
  private final Map<EventExecutor, Socket> sockets = new ConcurrentHashMap<>();

  Upstreams(List<InetSocketAddress> servers, Duration deadline, Transport transport, EventLoopGroup loops)
      throws InterruptedException {
    this.servers = List.copyOf(servers);
    this.deadlineNanos = deadline.toNanos();
    this.attemptNanos = deadlineNanos / Math.max(2, servers.size());
    this.transport = transport;
    for (EventExecutor e : loops) {
      Socket s = new Socket();
      s.channel = new Bootstrap().group((EventLoop) e).channel(transport.datagramChannel())
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(s);
            }
          })
          .bind(new InetSocketAddress(0)).sync().channel();
      sockets.put(e, s);
    }
  }

  /** Asks on {@code loop} (which must be one of the group's); the promise completes there. */
  Future<byte[]> ask(EventLoop loop, Query q) {
    Promise<byte[]> promise = loop.newPromise();
    Socket socket = sockets.get(loop);
    if (servers.isEmpty() || socket == null) {
      return promise.setFailure(new IllegalStateException("no upstream resolver"));
    }
    socket.start(new Exchange(loop, q, promise, System.nanoTime() + deadlineNanos));
    return promise;
  }

  /** One question on its way. Touched only on its loop. */
  private final class Exchange {
    final EventLoop loop;
    final Query query;
    final Promise<byte[]> promise;
    final long deadline;
    byte[] sent;
    int id;
    int attempts;
    long askedMask;
    Future<?> timeout;

    Exchange(EventLoop loop, Query query, Promise<byte[]> promise, long deadline) {
      this.loop = loop;
      this.query = query;
      this.promise = promise;
      this.deadline = deadline;
    }

    boolean askedFrom(InetSocketAddress sender) {
      for (int i = 0; i < servers.size() && i < 64; i++) {
        if ((askedMask & 1L << i) != 0 && same(servers.get(i), sender)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Loopback and the same address seen as IPv4-mapped IPv6 are the same server. */
  static boolean same(InetSocketAddress a, InetSocketAddress b) {
    if (a.getPort() != b.getPort()) {
      return false;
    }
    byte[] x = a.getAddress().getAddress();
    byte[] y = b.getAddress().getAddress();
    if (x.length != y.length) {
      byte[] v6 = x.length == 16 ? x : y;
      byte[] v4 = x.length == 16 ? y : x;
      for (int i = 0; i < 10; i++) {
        if (v6[i] != 0) {
          return false;
        }
      }
      return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff && v6[12] == v4[0] && v6[13] == v4[1]
          && v6[14] == v4[2] && v6[15] == v4[3];
    }
    return java.util.Arrays.equals(x, y);
  }

  /** The UDP socket of one event loop, and the questions waiting on it by ID. */
  private final class Socket extends SimpleChannelInboundHandler<DatagramPacket> {
    Channel channel;
    private final IntObjectHashMap<Exchange> waiting = new IntObjectHashMap<>();

    void start(Exchange x) {
      int id;
      do {
        id = ThreadLocalRandom.current().nextInt(0x10000);
      } while (waiting.containsKey(id));
      x.id = id;
      x.sent = x.query.bytes().clone();
      Wire.put16(x.sent, 0, id);
      waiting.put(id, x);
      attempt(x);
    }

    private void attempt(Exchange x) {
      long left = x.deadline - System.nanoTime();
      if (left <= 0) {
        finish(x, null);
        return;
      }
      int i = x.attempts++ % servers.size();
      x.askedMask |= i < 64 ? 1L << i : 0;
      channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(x.sent), servers.get(i)));
      x.timeout = channel.eventLoop().schedule(() -> attempt(x), Math.min(left, attemptNanos), TimeUnit.NANOSECONDS);
    }

    private void finish(Exchange x, byte[] answer) {
      waiting.remove(x.id);
      if (x.timeout != null) {
        x.timeout.cancel(false);
      }
      if (answer == null) {
        x.promise.tryFailure(new java.util.concurrent.TimeoutException("no upstream answered"));
      } else {
        x.promise.trySuccess(answer);
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      ByteBuf content = packet.content();
      if (content.readableBytes() < Wire.HEADER) {
        return;
      }
      Exchange x = waiting.get(content.getUnsignedShort(content.readerIndex()));
      if (x == null || !x.askedFrom(packet.sender())) {
        return; // late, or not from a server we asked: ignored
      }
      byte[] answer = ByteBufUtil.getBytes(content);
      if (!answers(x, answer)) {
        return;
      }
      if ((Wire.flags(answer) & Wire.TC) != 0) {
        waiting.remove(x.id);
        x.timeout.cancel(false);
        overTcp(x, packet.sender(), answer);
        return;
      }
      finish(x, answer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // an ICMP error on the shared socket: the attempt's timeout moves on to the next server
    }
  }

  /** Whether {@code answer} is a response to {@code x}'s question (the same question, case aside). */
  private static boolean answers(Exchange x, byte[] answer) {
    int questionLength = x.query.questionEnd() - Wire.HEADER;
    return (Wire.flags(answer) & Wire.QR) != 0 && Wire.count(answer, 0) == 1
        && Wire.sameBytesIgnoringCase(answer, Wire.HEADER, x.sent, Wire.HEADER, questionLength);
  }

  /** Asks {@code server} again over TCP; the truncated answer stands if that fails. */
  private void overTcp(Exchange x, InetSocketAddress server, byte[] truncated) {
    long left = Math.max(1, x.deadline - System.nanoTime());
    new Bootstrap().group(x.loop).channel(transport.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new io.netty.handler.codec.LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                new SimpleChannelInboundHandler<ByteBuf>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                    byte[] answer = ByteBufUtil.getBytes(frame);
                    x.promise.trySuccess(answers(x, answer) && Wire.id(answer) == x.id ? answer : truncated);
                    ctx.close();
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    x.promise.trySuccess(truncated);
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    ctx.close();
                  }
                });
          }
        })
        .connect(server).addListener((io.netty.channel.ChannelFutureListener) f -> {
          if (!f.isSuccess()) {
            x.promise.trySuccess(truncated);
            return;
          }
          ByteBuf out = f.channel().alloc().buffer(2 + x.sent.length);
          out.writeShort(x.sent.length).writeBytes(x.sent);
          f.channel().writeAndFlush(out);
          f.channel().eventLoop().schedule(() -> f.channel().close(), Math.max(1, x.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        });
  }

  @Override
  public void close() {
    for (Socket s : sockets.values()) {
      s.channel.close();
    }
  }
}
