package org.schoolgate.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Opens upstream connections on the client's own event loop (no cross-thread hand-off):
 * resolve, refuse our own listeners, connect with {@code connect_timeout}. Upstream channels
 * start with auto-read off; the relay decides when to read.
 */
public final class UpstreamConnector {
  /**
   * Per-connection write buffer bounds; a relay stops reading its peer above the high mark and
   * starts again below the low one. At most about 512 KiB waits per direction; the gap keeps a
   * bulk transfer from switching reads off and on (an epoll_ctl each) every few kilobytes.
   */
  public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);

  /** Reads start at 16 KiB and grow to 256 KiB for bulk transfers (fewer reads per megabyte). */
  public static io.netty.channel.RecvByteBufAllocator receiveBuffers() {
    return new io.netty.channel.AdaptiveRecvByteBufAllocator(1024, 16 * 1024, 256 * 1024);
  }

  private final Resolver resolver;
  private final SelfAddresses self;
  private final Bootstrap template;

  private final boolean refuseLocal;

  public UpstreamConnector(Resolver resolver, SelfAddresses self, Transport transport, Duration connectTimeout,
                           boolean refuseLocal) {
    this.refuseLocal = refuseLocal;
    this.resolver = resolver;
    this.self = self;
    this.template = new Bootstrap()
        .channel(transport.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .option(ChannelOption.RECVBUF_ALLOCATOR, receiveBuffers());
  }

  /** Connects to host:port; the future fails with an {@link UpstreamFailure}. */
  public Future<Channel> connect(String host, int port, EventLoop loop, ChannelHandler handler) {
    Promise<Channel> promise = loop.newPromise();
    resolver.resolve(host, loop).addListener(resolved -> {
      if (!resolved.isSuccess()) {
        promise.tryFailure(UpstreamFailure.of(resolved.cause(), host, port));
        return;
      }
      connect((InetAddress) resolved.getNow(), host, port, loop, handler, promise);
    });
    return promise;
  }

  private void connect(InetAddress address, String host, int port, EventLoop loop, ChannelHandler handler,
                       Promise<Channel> promise) {
    if (self.isSelf(address, port)) {
      promise.tryFailure(new UpstreamFailure(UpstreamFailure.Kind.SELF,
          host + ":" + port + " is this proxy itself; it never connects to its own listeners"));
      return;
    }
    if (refuseLocal && self.isLocal(address)) {
      promise.tryFailure(new UpstreamFailure(UpstreamFailure.Kind.SELF,
          host + " is the gateway itself; its own services are not reachable through the filter"));
      return;
    }
    ChannelFuture cf = template.clone(loop).handler(handler).connect(new InetSocketAddress(address, port));
    cf.addListener(done -> {
      if (done.isSuccess()) {
        promise.trySuccess(cf.channel());
      } else {
        promise.tryFailure(UpstreamFailure.of(done.cause(), host, port));
      }
    });
  }
}
