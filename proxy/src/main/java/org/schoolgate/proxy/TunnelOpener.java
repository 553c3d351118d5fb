package org.schoolgate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.schoolgate.proxy.RequestStates.Next;

/**
 * Turns an allowed CONNECT on the explicit listener into a tunnel (through {@link ConnectHold}),
 * and a blocked one from a managed device into its block page: each puts another handler in the
 * frontend's place and returns the step the frontend takes (it releases what waited).
 */
final class TunnelOpener {
  private static final HttpResponseStatus CONNECTION_ESTABLISHED = new HttpResponseStatus(200, "Connection established");

  private TunnelOpener() {}

  /**
   * An allowed CONNECT: the HTTP codec goes at once (bytes sent after the CONNECT, such as a
   * ClientHello in the same segment, are held as bytes, never read as HTTP), and {@link ConnectHold}
   * connects the upstream before answering. A tunnel to 443 (or upstream.tls_port) must carry TLS,
   * and the name in its ClientHello is decided after the 200 ({@link ConnectPeekHandler}).
   */
  static Next open(HttpFrontendHandler f, Channel client, ProxyContext px, Exchange x, Target target) {
    boolean tls = target.port() == 443 || target.port() == px.config.upstream().tlsPort();
    ConnectHold hold = new ConnectHold(px, x, tls);
    takeOver(f, client, ConnectHold.NAME, hold);
    hold.connect();
    return Next.TUNNEL; // the exchange went with the connection
  }

  /**
   * A blocked CONNECT from a managed device within its handshake budget (SPEC section 9): its
   * refusal is logged now (status 403, the reference its page shows), then it is answered 200 so
   * that the browser starts TLS, and the TLS goes to the HTTPS block page ({@link BlockedConnectPeek}).
   */
  static Next blockPage(HttpFrontendHandler f, Channel client, ProxyContext px, Exchange refused) {
    refused.status = 403;
    peek(f, client, new BlockedConnectPeek(px, refused));
    return Next.TLS_BLOCK_PAGE; // logged now as refused
  }

  /** Sends the 200 and puts {@code peek} in the frontend's place, without the HTTP codec: what follows is TLS. */
  private static void peek(HttpFrontendHandler f, Channel client, HelloPeek peek) {
    client.config().setAutoRead(false); // the peek starts reading once it is in place
    client.writeAndFlush(connectionEstablished()); // through the HTTP codec, before it goes
    takeOver(f, client, "peek", peek);
  }

  /** {@code handler} in the frontend's place, without the HTTP codec or the head deadline: what follows is bytes. */
  private static void takeOver(HttpFrontendHandler f, Channel client, String name, io.netty.channel.ChannelHandler handler) {
    client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false); // a tunnel ends with either side
    var pipeline = client.pipeline();
    pipeline.replace(f, name, handler);
    pipeline.remove(ProxyInitializer.HTTP_CODEC);
    pipeline.remove(HeadDeadline.NAME);
  }

  private static FullHttpResponse connectionEstablished() {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, CONNECTION_ESTABLISHED, Unpooled.EMPTY_BUFFER);
  }
}
