package org.schoolgate.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of the HTTP listeners, in one place. Idle detection watches reads only: watching
 * writes too would make Netty attach a promise and a listener to every write, and the frontend
 * only closes an idle connection when no request is in flight anyway.
 *
 * {@code idle -> head-deadline -> http (server codec) -> frontend}. The explicit listener's CONNECT
 * later replaces {@code frontend} with a byte relay and removes {@code head-deadline} and {@code http}.
 * A connection over the limits (too many from its client, or in all) is closed before any of this.
 */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
  static final String HTTP_CODEC = "http";
  /** Request line limit (414 beyond) and total header limit (431 beyond). */
  static final int MAX_LINE = 8192;
  static final int MAX_HEADERS = 32 * 1024;

  private final ProxyContext px;
  private final ListenerKind listener;
  private final int defaultPort;

  public ProxyInitializer(ProxyContext px, ListenerKind listener, int defaultPort) {
    this.px = px;
    this.listener = listener;
    this.defaultPort = defaultPort;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (!px.admit(ch, listener)) {
      return;
    }
    px.clients.add(ch);
    // A client may half-close after its request (printf ... | ncat): it is answered, then closed
    // (HttpFrontendHandler). A tunnel or peek that takes over turns this off again (TunnelOpener).
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    HttpFrontendHandler frontend = new HttpFrontendHandler(px, listener, defaultPort);
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(px.idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast(HeadDeadline.NAME, frontend.headDeadline())
        .addLast(HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_LINE).setMaxHeaderSize(MAX_HEADERS).setMaxChunkSize(65536)))
        .addLast("frontend", frontend);
  }
}
