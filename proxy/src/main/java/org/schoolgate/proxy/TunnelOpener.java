package org.schoolgate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.schoolgate.net.UpstreamFailure;

/** Turns an allowed CONNECT on the explicit listener into a tunnel, and a blocked one from a managed device into its block page. */
final class TunnelOpener {
  private static final HttpResponseStatus CONNECTION_ESTABLISHED = new HttpResponseStatus(200, "Connection established");

  private TunnelOpener() {}

  /**
   * An allowed CONNECT. A tunnel to 443 (or upstream.tls_port) must carry TLS, and the name in
   * its ClientHello is decided too: the 200 goes at once, and the upstream is connected only
   * after the peek has decided (so that what it connects to can follow from the decision).
   * Another allowed port is connected first, and a failure is a 502/504 page as for a GET.
   */
  static void open(HttpFrontendHandler f, ProxyContext px, Target target) {
    if (target.port() == 443 || target.port() == px.config.upstream().tlsPort()) {
      established(f, px, null);
      return;
    }
    f.state = HttpFrontendHandler.State.CONNECTING;
    String destination = f.exchange.route(f.exchange.decision.reroute(), target.host());
    Future<Channel> connecting = px.connector.connect(destination, target.port(), f.client.eventLoop(),
        px.tunnelUpstream);
    connecting.addListener(done -> {
      if (f.state == HttpFrontendHandler.State.CLOSED) {
        if (done.isSuccess()) {
          ((Channel) done.getNow()).close();
        }
        return;
      }
      if (!done.isSuccess()) {
        f.answers.failUpstream(UpstreamFailure.of(done.cause(), destination, target.port()));
        return;
      }
      established(f, px, (Channel) done.getNow());
    });
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

  /** Sends the 200 and turns this connection into a tunnel: to {@code up}, or through a peek when it is null. */
  private static void established(HttpFrontendHandler f, ProxyContext px, Channel up) {
    f.exchange.status = 200;
    Exchange tunnel = f.exchange;
    px.activeExchanges.decrementAndGet(); // tunnels are long-lived; shutdown does not wait for them
    f.exchange = null;
    if (up == null) {
      peek(f, new ConnectPeekHandler(px, tunnel));
      return;
    }
    f.state = HttpFrontendHandler.State.CLOSED;
    releasePending(f);
    f.client.writeAndFlush(connectionEstablished()).addListener((ChannelFutureListener) written -> {
      if (!written.isSuccess()) {
        up.close();
        tunnel.status = 499; // the client left before its tunnel: still one line for it
        px.access(tunnel.toRecord(px, tunnel.target.host(), tunnel.target.port()));
        return;
      }
      Tunnel.join(px, f.client, up, tunnel, f, ProxyInitializer.HTTP_CODEC, HeadDeadline.NAME);
    });
  }

  /** Sends the 200 and puts {@code peek} in the frontend's place, without the HTTP codec: what follows is TLS. */
  private static void peek(HttpFrontendHandler f, HelloPeek peek) {
    f.state = HttpFrontendHandler.State.CLOSED;
    releasePending(f);
    f.client.config().setAutoRead(false); // the peek starts reading once it is in place
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
