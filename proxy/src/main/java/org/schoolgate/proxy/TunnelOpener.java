package org.schoolgate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/** Turns an allowed CONNECT on the explicit listener into a tunnel (through {@link ConnectHold}), and a blocked one from a managed device into its block page. */
final class TunnelOpener {
  private static final HttpResponseStatus CONNECTION_ESTABLISHED = new HttpResponseStatus(200, "Connection established");

  private TunnelOpener() {}

  /**
   * An allowed CONNECT: the HTTP codec goes at once (bytes sent after the CONNECT, such as a
   * ClientHello in the same segment, are held as bytes, never read as HTTP), and {@link ConnectHold}
   * connects the upstream before answering. A tunnel to 443 (or upstream.tls_port) must carry TLS,
   * and the name in its ClientHello is decided after the 200 ({@link ConnectPeekHandler}).
   */
  static void open(HttpFrontendHandler f, ProxyContext px, Target target) {
    boolean tls = target.port() == 443 || target.port() == px.config.upstream().tlsPort();
    ConnectHold hold = new ConnectHold(px, f.exchange, tls);
    f.exchange = null;
    f.state = HttpFrontendHandler.State.CLOSED;
    releasePending(f);
    f.client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false); // a tunnel ends with either side
    var pipeline = f.client.pipeline();
    pipeline.replace(f, ConnectHold.NAME, hold);
    pipeline.remove(ProxyInitializer.HTTP_CODEC);
    pipeline.remove(HeadDeadline.NAME);
    hold.connect();
  }

  /**
   * A blocked CONNECT from a managed device within its handshake budget (SPEC section 9): its
   * refusal is logged now (status 403, the reference its page shows), then it is answered 200 so
   * that the browser starts TLS, and the TLS goes to the HTTPS block page ({@link BlockedConnectPeek}).
   */
  static void blockPage(HttpFrontendHandler f, ProxyContext px) {
    Exchange refused = f.exchange;
    refused.status = 403;
    f.finishExchange();
    peek(f, new BlockedConnectPeek(px, refused));
  }

  /** Sends the 200 and puts {@code peek} in the frontend's place, without the HTTP codec: what follows is TLS. */
  private static void peek(HttpFrontendHandler f, HelloPeek peek) {
    f.state = HttpFrontendHandler.State.CLOSED;
    releasePending(f);
    f.client.config().setAutoRead(false); // the peek starts reading once it is in place
    f.client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
    f.client.writeAndFlush(connectionEstablished());
    var pipeline = f.client.pipeline();
    pipeline.replace(f, "peek", peek);
    pipeline.remove(ProxyInitializer.HTTP_CODEC);
    pipeline.remove(HeadDeadline.NAME);
  }

  private static FullHttpResponse connectionEstablished() {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, CONNECTION_ESTABLISHED, Unpooled.EMPTY_BUFFER);
  }

  private static void releasePending(HttpFrontendHandler f) {
    for (Object o; (o = f.pending.poll()) != null; ) {
      ReferenceCountUtil.release(o); // the CONNECT's empty last content
    }
  }
}
