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
import org.schoolgate.proxy.RequestStates.Next;

/**
 * The upstream leg of an HTTP client connection's forwarded exchanges: connects (to the host, or
 * to the enforced front end its decision names), or reuses a keep-alive connection to the same
 * host, port and real destination; sends the request framed as it was read,
 * relays the response back with the client's reading and the memory budget in step, and ends
 * the exchange, cut short and logged as such when either side breaks. It never moves the
 * request's state: what it finds later (connected, the response's end, the upstream gone) goes
 * to its {@link HttpFrontendHandler} as the step that should follow ({@link HttpFrontendHandler#resume}),
 * on that connection's event loop only.
 */
final class Forwarder {
  private final HttpFrontendHandler f;
  private final ProxyContext px;
  private final Channel client;
  /** The memory the client's write buffer holds (section limits). */
  private final BufferBudget.Account clientHolds;
  private final Answers answers;
  Channel upstream;
  /** What {@code upstream} was opened for: a keep-alive request to the same host and port reuses it... */
  private Target upstreamTarget;
  /** ... if it goes to the same place too: the host itself, or an enforced front end (SPEC 10). */
  private String upstreamDestination;
  /** The memory the upstream's write buffer holds (section limits). */
  private final BufferBudget.Account upstreamHolds;

  Forwarder(HttpFrontendHandler f, ProxyContext px, Channel client, BufferBudget.Account clientHolds,
            BufferBudget.Account upstreamHolds) {
    this.f = f;
    this.px = px;
    this.client = client;
    this.clientHolds = clientHolds;
    this.upstreamHolds = upstreamHolds;
    this.answers = new Answers(px, client, this);
  }

  /** The proxy's own answers on this connection. */
  Answers answers() {
    return answers;
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

  /**
   * Sends an allowed request's head upstream, over the kept-alive connection when it goes to the
   * same place, else over a new one: its body follows once it is connected, which comes back
   * to the frontend later, as a task of its own.
   */
  Next send(HttpRequest req, Target target, Decision decision, Exchange x) {
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
    String destination = x.route(decision.reroute(), target.host());
    if (upstream != null && upstream.isActive() && target.port() == upstreamTarget.port()
        && target.host().equals(upstreamTarget.host()) && destination.equals(upstreamDestination)) {
      upstream.write(req, upstream.voidPromise());
      return Next.SEND_BODY;
    }
    drop();
    upstreamTarget = target;
    upstreamDestination = destination;
    Future<Channel> connecting = px.connector.connect(destination, target.port(), client.eventLoop(),
        new UpstreamHttpHandler.Initializer(this, px.idleTimeout));
    if (connecting.isDone()) {
      // a connection that fails at once completes inside connect(): its answer must still come after CONNECT is taken
      client.eventLoop().execute(() -> connected(connecting, req, x, destination, target));
    } else {
      // the promise is the client's loop's: its listener runs there, in a later task than this one
      connecting.addListener(done -> connected(done, req, x, destination, target));
    }
    return Next.CONNECT;
  }

  private void connected(Future<?> done, HttpRequest req, Exchange x, String destination, Target target) {
    if (f.closed()) {
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
      f.resume(answers.failUpstream(UpstreamFailure.of(done.cause(), destination, target.port()), x));
      return;
    }
    upstream = (Channel) done.getNow();
    upstream.config().setAutoRead(client.isWritable());
    upstream.write(req, upstream.voidPromise());
    f.resume(Next.SEND_BODY);
  }

  void read(Channel from, Object msg) {
    Exchange x = f.forwarding();
    if (from != upstream || x == null) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (((io.netty.handler.codec.http.HttpObject) msg).decoderResult().isFailure()) {
      f.resume(brokenResponse(msg, x));
      return;
    }
    if (msg instanceof HttpResponse resp) {
      int code = resp.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        HopByHop.strip(resp.headers());
        client.write(msg, client.voidPromise()); // interim response; the real one follows
        return;
      }
      x.status = code;
      x.responseStarted = true;
      x.upstreamReusable = HttpUtil.isKeepAlive(resp);
      boolean framed = HttpUtil.isContentLengthSet(resp) || HttpUtil.isTransferEncodingChunked(resp)
          || code == 204 || code == 304 || "HEAD".equals(x.method);
      HopByHop.strip(resp.headers());
      x.closeAfter |= !framed || !x.clientKeepAlive; // the body ends when the connection does
      HttpUtil.setKeepAlive(resp, !x.closeAfter);
    }
    if (msg instanceof HttpContent content) {
      x.bytesDown += content.content().readableBytes();
    }
    boolean last = msg instanceof LastHttpContent;
    client.write(msg, client.voidPromise());
    if (!clientHolds.charge(client)) {
      f.resume(answers.overBudget(x)); // the client reads too slowly for the memory budget
      return;
    }
    if (last && x.responseStarted) {
      client.flush();
      f.resume(endForwardedExchange(x));
    }
  }

  /**
   * The origin's response could not be decoded. Before anything reached the client: a 502.
   * After: the client connection is closed without completing the response (no last chunk),
   * so the client sees a truncated response, and the access line says so.
   */
  private Next brokenResponse(Object msg, Exchange x) {
    ReferenceCountUtil.release(msg);
    abort();
    px.stats.upstreamFailed("malformed");
    if (x.responseStarted) {
      x.aborted = "upstream-malformed";
      return Next.CLOSE;
    }
    return answers.replyAndFinish(Pages.error(HttpResponseStatus.BAD_GATEWAY, "The website could not be reached",
        "The website sent an answer that is not valid HTTP.", "HEAD".equals(x.method)), true, x);
  }

  private Next endForwardedExchange(Exchange x) {
    boolean bodyStillComing = f.sendingBody();
    if (!x.upstreamReusable || bodyStillComing) {
      drop();
    }
    return x.closeAfter || bodyStillComing ? Next.CLOSE : Next.NEXT_REQUEST;
  }

  void readComplete() {
    if (f.closed()) {
      return; // the connection is a tunnel now, or closed: nothing of ours to flush or charge
    }
    client.flush();
    clientHolds.refund(client); // what the flush wrote out is no longer held
  }

  void closed(Channel from) {
    if (from != upstream) {
      return;
    }
    upstream = null;
    upstreamTarget = null;
    upstreamDestination = null;
    upstreamHolds.close();
    Exchange x = f.forwarding();
    if (x == null) {
      return;
    }
    px.stats.upstreamFailed("closed");
    if (x.responseStarted) {
      x.aborted = "upstream-closed";
      f.resume(Next.CLOSE); // cut short mid-body: the client sees the connection end
    } else {
      f.resume(answers.replyAndFinish(Pages.error(HttpResponseStatus.BAD_GATEWAY, "The website could not be reached",
          "The website closed the connection without answering.", "HEAD".equals(x.method)), true, x));
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
