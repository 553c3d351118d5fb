package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpUtil;
import org.schoolgate.net.UpstreamFailure;
import org.schoolgate.policy.Decision;
import org.schoolgate.proxy.RequestStates.Next;

/**
 * The answers the proxy makes itself on an HTTP client connection: the block page (once its
 * event, if any, is written), 400s for what cannot be understood, 502/504 for an unreachable
 * upstream. Each writes its answer, notes it on the exchange and returns the step that follows
 * (the {@link HttpFrontendHandler} takes it), on that connection's event loop.
 */
final class Answers {
  private final ProxyContext px;
  private final Channel client;
  private final Forwarder forwarder;

  Answers(ProxyContext px, Channel client, Forwarder forwarder) {
    this.px = px;
    this.client = client;
    this.forwarder = forwarder;
  }

  Next blockPage(HttpFrontendHandler f, Decision d, Target target, boolean connect, boolean head, Exchange x) {
    if (connect && px.blockPage.covers(x.client) && px.blockPage.admit(client, x.client, px.stats)) {
      return TunnelOpener.blockPage(f, client, px, x); // a managed device: 200, then the page over TLS (SPEC section 9)
    }
    FullHttpResponse page = connect
        ? Pages.connectRefused(d, x.ref)
        : Pages.blocked(d, target.rawHost(), x.ref, px.engine.clock().instant(), px.zone, head,
            px.reader(x.client, "http", target.hostHeader(), target.originForm(), d, x.ref));
    x.status = page.status().code();
    x.bytesDown = page.content().readableBytes();
    HttpUtil.setKeepAlive(page, x.clientKeepAlive);
    x.closeAfter |= !x.clientKeepAlive;
    client.writeAndFlush(page);
    return Next.DISCARD_BODY; // closed once the body has been read, if the client did not keep it alive
  }

  /**
   * The request's body could not be decoded part-way (a bad chunk, bare LFs, an overflowing
   * size): what was sent of it must never reach the origin as a complete request, so the
   * upstream connection is reset, not finished, and the client is answered 400 (if no response
   * has begun) and closed.
   */
  Next brokenRequestBody(HttpContent content, Exchange x) {
    Throwable cause = content.decoderResult().cause();
    content.release();
    forwarder.abort();
    if (x.responseStarted) {
      x.aborted = "request-malformed";
      return Next.CLOSE;
    }
    return replyAndFinish(Refusals.malformed(cause), true, x);
  }

  /** Sends a response the proxy made itself: then the connection closes if asked, else the request's body is discarded. */
  Next replyAndFinish(FullHttpResponse response, boolean close, Exchange x) {
    x.status = response.status().code();
    x.bytesDown = response.content().readableBytes();
    x.closeAfter |= close || !x.clientKeepAlive;
    HttpUtil.setKeepAlive(response, !x.closeAfter);
    client.writeAndFlush(response);
    return x.closeAfter ? Next.CLOSE : Next.DISCARD_BODY;
  }

  /** The upstream could not be reached: 502/504 page (403 for a loop to ourselves). */
  Next failUpstream(UpstreamFailure failure, Exchange x) {
    px.stats.upstreamFailed(failure.kind().label);
    return replyAndFinish(Refusals.upstream(failure, x, px), false, x);
  }

  /** This connection would hold more than the memory budget allows: it ends, logged as cut short. */
  Next overBudget(Exchange x) {
    if (x != null) {
      x.aborted = "buffer-budget";
    }
    forwarder.abort();
    return Next.RESET; // not a graceful close: a slow reader would keep its buffers until it read them
  }
}
