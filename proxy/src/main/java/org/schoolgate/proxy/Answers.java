package org.schoolgate.proxy;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpUtil;
import org.schoolgate.net.UpstreamFailure;
import org.schoolgate.policy.Decision;

/**
 * The answers the proxy makes itself on an HTTP client connection: the block page (once its
 * event, if any, is written), 400s for what cannot be understood, 502/504 for an unreachable
 * upstream. It works on its {@link HttpFrontendHandler}'s state, on that connection's event loop.
 */
final class Answers {
  private final HttpFrontendHandler f;
  private final ProxyContext px;

  Answers(HttpFrontendHandler f, ProxyContext px) {
    this.f = f;
    this.px = px;
  }

  void blockPage(Decision d, Target target, boolean connect, boolean head) {
    if (f.state != HttpFrontendHandler.State.RECORDING_EVENT) {
      return; // the client left while the event was written
    }
    if (connect && px.blockPage.covers(f.exchange.client) && px.blockPage.admit(f.client, f.exchange.client, px.stats)) {
      TunnelOpener.blockPage(f, px); // a managed device: 200, then the page over TLS (SPEC section 9)
      return;
    }
    FullHttpResponse page = connect
        ? Pages.connectRefused(d, f.exchange.ref)
        : Pages.blocked(d, target.rawHost(), f.exchange.ref, px.engine.clock().instant(), px.zone, head,
            px.reader(f.exchange.client, "http", target.hostHeader(), target.originForm(), d, f.exchange.ref));
    f.exchange.status = page.status().code();
    f.exchange.bytesDown = page.content().readableBytes();
    HttpUtil.setKeepAlive(page, f.exchange.clientKeepAlive);
    if (!f.exchange.clientKeepAlive) {
      f.closeAfterResponse = true;
    }
    f.client.writeAndFlush(page);
    f.state = HttpFrontendHandler.State.DISCARDING_BODY;
    f.discarded = 0;
    f.drain();
  }

  /**
   * The request's body could not be decoded part-way (a bad chunk, bare LFs, an overflowing
   * size): what was sent of it must never reach the origin as a complete request, so the
   * upstream connection is reset, not finished, and the client is answered 400 (if no response
   * has begun) and closed.
   */
  void brokenRequestBody(HttpContent content) {
    Throwable cause = content.decoderResult().cause();
    content.release();
    f.forwarder.abort();
    if (f.exchange.responseStarted) {
      f.exchange.aborted = "request-malformed";
      f.finishExchange();
      f.closeClient();
    } else {
      replyAndFinish(Refusals.malformed(cause), true);
    }
  }

  /** Sends a response the proxy made itself, logs the exchange, and closes if asked. */
  void replyAndFinish(FullHttpResponse response, boolean close) {
    f.exchange.status = response.status().code();
    f.exchange.bytesDown = response.content().readableBytes();
    f.closeAfterResponse |= close || !f.exchange.clientKeepAlive;
    HttpUtil.setKeepAlive(response, !f.closeAfterResponse);
    f.client.writeAndFlush(response);
    if (f.closeAfterResponse) {
      f.finishExchange();
      f.closeClient();
    } else {
      f.state = HttpFrontendHandler.State.DISCARDING_BODY;
      f.discarded = 0;
    }
  }

  void endBlockedExchange() {
    f.finishExchange();
    if (f.closeAfterResponse) {
      f.closeClient();
    } else {
      f.state = HttpFrontendHandler.State.IDLE;
    }
  }

  /** The upstream could not be reached: 502/504 page (403 for a loop to ourselves). */
  void failUpstream(UpstreamFailure failure) {
    px.stats.upstreamFailed(failure.kind().label);
    FullHttpResponse page = Refusals.upstream(failure, f.exchange, px);
    f.state = HttpFrontendHandler.State.IDLE;
    replyAndFinish(page, false);
    f.drain();
  }

  /** This connection would hold more than the memory budget allows: it ends, logged as cut short. */
  void overBudget() {
    if (f.exchange != null) {
      f.exchange.aborted = "buffer-budget";
    }
    f.forwarder.abort();
    f.finishExchange();
    f.close(true); // not a graceful close: a slow reader would keep its buffers until it read them
  }
}
