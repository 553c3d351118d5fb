package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.schoolgate.net.UpstreamFailure;
import org.schoolgate.policy.Decision;

/**
 * The upstream leg of an HTTP client connection's forwarded exchanges: connects (to the host, or
 * to the enforced front end its decision names), or reuses a keep-alive connection to the same
 * host, port and real destination; sends the request framed as it was read,
 * relays the response back with the client's reading and the memory budget in step, and ends
 * the exchange, cut short and logged as such when either side breaks. It works on its
 * {@link HttpFrontendHandler}'s state, on that connection's event loop only.
 */
final class Forwarder {
  private final HttpFrontendHandler f;
  private final ProxyContext px;
  Channel upstream;
  /** What {@code upstream} was opened for: a keep-alive request to the same host and port reuses it... */
  private Target upstreamTarget;
  /** ... if it goes to the same place too: the host itself, or an enforced front end (SPEC 10). */
  private String upstreamDestination;
  /** The memory the upstream's write buffer holds (section limits). */
  private final BufferBudget.Account upstreamHolds;

  Forwarder(HttpFrontendHandler f, ProxyContext px, BufferBudget.Account upstreamHolds) {
    this.f = f;
    this.px = px;
    this.upstreamHolds = upstreamHolds;
  }

  /** Writes request body content upstream (flushed with the last part). */
  void write(HttpContent content, boolean last) {
    upstream.write(content, upstream.voidPromise());
    if (last) {
      upstream.flush();
    }
  }

  /** Flushes what was written, then settles the budget: false if over it. */
  boolean flush() {
    upstream.flush();
    return upstreamHolds.charge(upstream);
  }

  boolean writable() {
    return upstream != null && upstream.isWritable();
  }

  void autoRead(boolean on) {
    if (upstream != null) {
      upstream.config().setAutoRead(on);
    }
  }

  void send(HttpRequest req, Target target, Decision decision) {
    req.setUri(target.originForm());
    HopByHop.strip(req.headers());
    // The upstream routes on Host: it must name the host that was decided (RFC 9112 3.2.2),
    // never a different one the client slipped in beside an absolute URI. An origin-form
    // request's single Host header is what was decided, and passes as the client wrote it.
    if (target.fromUri() || !req.headers().contains(HttpHeaderNames.HOST)) {
      req.headers().set(HttpHeaderNames.HOST, target.hostHeader());
    }
    if (req.protocolVersion() == HttpVersion.HTTP_1_0) {
      req.setProtocolVersion(HttpVersion.HTTP_1_1); // we keep the upstream connection; the client side is unaffected
    }
    String destination = f.exchange.route(decision.reroute(), target.host());
    if (upstream != null && upstream.isActive() && target.port() == upstreamTarget.port()
        && target.host().equals(upstreamTarget.host()) && destination.equals(upstreamDestination)) {
      upstream.write(req, upstream.voidPromise());
      f.state = HttpFrontendHandler.State.SENDING_BODY;
      return;
    }
    drop();
    f.state = HttpFrontendHandler.State.CONNECTING;
    upstreamTarget = target;
    upstreamDestination = destination;
    Future<Channel> connecting = px.connector.connect(destination, target.port(), f.client.eventLoop(),
        new UpstreamHttpHandler.Initializer(this, px.idleTimeout));
    connecting.addListener(done -> {
      if (f.state == HttpFrontendHandler.State.CLOSED) {
        if (done.isSuccess()) {
          ((Channel) done.getNow()).close();
        }
        ReferenceCountUtil.release(req);
        return;
      }
      if (!done.isSuccess()) {
        ReferenceCountUtil.release(req);
        upstreamTarget = null;
        upstreamDestination = null;
        f.answers.failUpstream(UpstreamFailure.of(done.cause(), destination, target.port()));
        return;
      }
      upstream = (Channel) done.getNow();
      upstream.config().setAutoRead(f.client.isWritable());
      upstream.write(req, upstream.voidPromise());
      f.state = HttpFrontendHandler.State.SENDING_BODY;
      f.drain();
    });
  }

  void read(Channel from, Object msg) {
    if (from != upstream || f.exchange == null || !(f.state == HttpFrontendHandler.State.AWAITING_RESPONSE || f.state == HttpFrontendHandler.State.SENDING_BODY)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (((io.netty.handler.codec.http.HttpObject) msg).decoderResult().isFailure()) {
      brokenResponse(msg);
      return;
    }
    if (msg instanceof HttpResponse resp) {
      int code = resp.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        HopByHop.strip(resp.headers());
        f.client.write(msg, f.client.voidPromise()); // interim response; the real one follows
        return;
      }
      f.exchange.status = code;
      f.exchange.responseStarted = true;
      f.exchange.upstreamReusable = HttpUtil.isKeepAlive(resp);
      boolean framed = HttpUtil.isContentLengthSet(resp) || HttpUtil.isTransferEncodingChunked(resp)
          || code == 204 || code == 304 || "HEAD".equals(f.exchange.method);
      HopByHop.strip(resp.headers());
      if (!framed || !f.exchange.clientKeepAlive) {
        f.closeAfterResponse = true; // the body ends when the connection does
      }
      HttpUtil.setKeepAlive(resp, !f.closeAfterResponse);
    }
    if (msg instanceof HttpContent content) {
      f.exchange.bytesDown += content.content().readableBytes();
    }
    boolean last = msg instanceof LastHttpContent;
    f.client.write(msg, f.client.voidPromise());
    if (!f.clientHolds.charge(f.client)) {
      f.answers.overBudget(); // the client reads too slowly for the memory budget
      return;
    }
    if (last && f.exchange.responseStarted) {
      f.client.flush();
      endForwardedExchange();
    }
  }

  /**
   * The origin's response could not be decoded. Before anything reached the client: a 502.
   * After: the client connection is closed without completing the response (no last chunk),
   * so the client sees a truncated response, and the access line says so.
   */
  private void brokenResponse(Object msg) {
    ReferenceCountUtil.release(msg);
    abort();
    px.stats.upstreamFailed("malformed");
    if (f.exchange.responseStarted) {
      f.exchange.aborted = "upstream-malformed";
      f.finishExchange();
      f.closeClient();
      return;
    }
    f.state = HttpFrontendHandler.State.IDLE;
    f.answers.replyAndFinish(Pages.error(HttpResponseStatus.BAD_GATEWAY, "The website could not be reached",
        "The website sent an answer that is not valid HTTP.", "HEAD".equals(f.exchange.method)), true);
  }

  private void endForwardedExchange() {
    boolean bodyStillComing = f.state == HttpFrontendHandler.State.SENDING_BODY;
    if (!f.exchange.upstreamReusable || bodyStillComing) {
      drop();
    }
    f.finishExchange();
    if (f.closeAfterResponse || bodyStillComing) {
      f.closeClient();
      return;
    }
    f.state = HttpFrontendHandler.State.IDLE;
    f.drain();
  }

  void readComplete() {
    if (f.state == HttpFrontendHandler.State.CLOSED) {
      return; // the connection is a tunnel now, or closed: nothing of ours to flush or charge
    }
    f.client.flush();
    f.clientHolds.refund(f.client); // what the flush wrote out is no longer held
  }

  void closed(Channel from) {
    if (from != upstream) {
      return;
    }
    upstream = null;
    upstreamTarget = null;
    upstreamDestination = null;
    upstreamHolds.close();
    if (f.exchange == null || !(f.state == HttpFrontendHandler.State.AWAITING_RESPONSE || f.state == HttpFrontendHandler.State.SENDING_BODY)) {
      return;
    }
    px.stats.upstreamFailed("closed");
    if (f.exchange.responseStarted) {
      f.exchange.aborted = "upstream-closed";
      f.finishExchange(); // cut short mid-body: the client sees the connection end
      f.closeClient();
    } else {
      f.state = HttpFrontendHandler.State.IDLE;
      f.answers.replyAndFinish(Pages.error(HttpResponseStatus.BAD_GATEWAY, "The website could not be reached",
          "The website closed the connection without answering.", "HEAD".equals(f.exchange.method)), true);
    }
  }

  void writabilityChanged() {
    if (upstream != null) {
      upstreamHolds.refund(upstream);
    }
    f.updateClientReading();
  }

  /** Resets the upstream connection (RST): a request written part-way is never completed. */
  void abort() {
    if (upstream != null) {
      if (upstream.isActive()) {
        upstream.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
      }
      drop();
    }
  }

  void drop() {
    upstreamHolds.close();
    if (upstream != null) {
      upstream.close();
      upstream = null;
      upstreamTarget = null;
      upstreamDestination = null;
    }
  }

}
