package org.schoolgate.e2e.support;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedStream;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.Mapping;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A real origin server on loopback, plain HTTP or TLS. It answers {@code upstream <host> <path>}
 * and records every request it receives (headers and the TLS server name), so tests can see what
 * the proxy forwarded. {@code /big?bytes=N} streams N bytes; {@code /close} hangs up without answering.
 */
public final class UpstreamServer implements AutoCloseable {
  public record Seen(String method, String uri, HttpHeaders headers, String body, String sni) {}

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private final List<String> sniNames = new CopyOnWriteArrayList<>();

  private UpstreamServer(SslContext tls, InetSocketAddress bind) throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            String[] sni = new String[1];
            if (tls != null) {
              Mapping<String, SslContext> mapping = host -> {
                sni[0] = host;
                if (host != null) {
                  sniNames.add(host);
                }
                return tls;
              };
              ch.pipeline().addLast(new SniHandler(mapping));
            }
            ch.pipeline().addLast(new HttpServerCodec(), new ChunkedWriteHandler(), new HttpObjectAggregator(1 << 20),
                new SimpleChannelInboundHandler<FullHttpRequest>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                    respond(ctx, req, sni[0]);
                  }
                });
          }
        });
    try {
      server = b.bind(bind).sync().channel();
    } catch (Throwable e) { // Netty throws a BindException without declaring it
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS); // a failed bind leaves no thread behind
      throw e;
    }
  }

  public static UpstreamServer http() throws InterruptedException {
    return new UpstreamServer(null, new InetSocketAddress("127.0.0.1", 0));
  }

  public static UpstreamServer tls(SslContext serverContext) throws InterruptedException {
    return new UpstreamServer(serverContext, new InetSocketAddress("127.0.0.1", 0));
  }

  public static UpstreamServer http(InetSocketAddress bind) throws InterruptedException {
    return new UpstreamServer(null, bind);
  }

  public static UpstreamServer tls(SslContext serverContext, InetSocketAddress bind) throws InterruptedException {
    return new UpstreamServer(serverContext, bind);
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The next request this server received (waits up to 5 s). */
  public Seen take() throws InterruptedException {
    Seen s = seen.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    if (s == null) {
      throw new AssertionError("the upstream server received no request");
    }
    return s;
  }

  public int requestCount() {
    return seen.size();
  }

  public List<String> sniNames() {
    return sniNames;
  }

  private void respond(ChannelHandlerContext ctx, FullHttpRequest req, String sni) {
    seen.add(new Seen(req.method().name(), req.uri(), req.headers().copy(),
        req.content().toString(StandardCharsets.UTF_8), sni));
    String path = req.uri();
    if (path.startsWith("/close")) {
      ctx.close();
      return;
    }
    if (path.startsWith("/slow")) {
      int ms = Integer.parseInt(path.substring(path.indexOf('=') + 1));
      ByteBuf slow = Unpooled.copiedBuffer("slow " + ms, StandardCharsets.UTF_8);
      FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, slow);
      resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, slow.readableBytes());
      ctx.executor().schedule(() -> ctx.writeAndFlush(resp), ms, java.util.concurrent.TimeUnit.MILLISECONDS);
      return;
    }
    if (path.startsWith("/big")) {
      int n = Integer.parseInt(path.substring(path.indexOf('=') + 1));
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      HttpUtil.setContentLength(head, n);
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
      ctx.write(head);
      ctx.writeAndFlush(new HttpChunkedInput(new ChunkedStream(zeros(n), 64 * 1024)));
      return;
    }
    String host = req.headers().get(HttpHeaderNames.HOST);
    ByteBuf body = Unpooled.copiedBuffer("upstream " + host + " " + path + (sni != null ? " sni=" + sni : ""),
        StandardCharsets.UTF_8);
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set("X-Upstream", "yes").set("Keep-Alive", "timeout=5");
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(resp, keepAlive);
    var f = ctx.writeAndFlush(resp);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** {@code n} zero bytes, made as they are read: many big downloads at once hold no n-byte arrays. */
  private static java.io.InputStream zeros(long n) {
    return new java.io.InputStream() {
      private long left = n;

      @Override
      public int read() {
        if (left == 0) {
          return -1;
        }
        left--;
        return 0;
      }

      @Override
      public int available() {
        return (int) Math.min(left, Integer.MAX_VALUE); // ChunkedStream sizes its chunks from this
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int k = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + k, (byte) 0);
        left -= k;
        return k;
      }
    };
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
