package org.schoolgate.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/** The pipeline of the intercepted-TLS listener: {@code peek}, which later becomes {@code relay}. */
public final class TlsInitializer extends ChannelInitializer<SocketChannel> {
  private final ProxyContext px;

  public TlsInitializer(ProxyContext px) {
    this.px = px;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (!px.admit(ch, ListenerKind.INTERCEPT_TLS)) {
      return;
    }
    px.clients.add(ch);
    ch.pipeline()
        .addLast("idle", new io.netty.handler.timeout.IdleStateHandler(px.idleTimeout.toMillis(), 0, 0,
            java.util.concurrent.TimeUnit.MILLISECONDS))
        .addLast("peek", new TlsPeekHandler(px, ProxyContext.addressOf(ch.remoteAddress())));
  }
}
