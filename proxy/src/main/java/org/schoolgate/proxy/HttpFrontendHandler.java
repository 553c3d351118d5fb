package org.schoolgate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.util.ArrayDeque;
import org.schoolgate.net.UpstreamFailure;
import org.schoolgate.policy.Access;
import org.schoolgate.policy.Decision;

/**
 * The client side of an HTTP proxy connection (explicit listener, or intercepted port 80).
 * Requests on one keep-alive connection are handled one at a time, each decided on its own:
 *
 * <pre>
 *   IDLE --request--> (blocked) DISCARDING_BODY --last--> IDLE
 *   IDLE --request--> (circumvention) RECORDING_EVENT --event written--> DISCARDING_BODY --last--> IDLE
 *   IDLE --request--> (allowed) CONNECTING --connected--> SENDING_BODY --last--> AWAITING_RESPONSE --response end--> IDLE
 *   IDLE --CONNECT--> CONNECTING --connected--> (handler replaced by a byte relay)
 * </pre>
 *
 * Messages that arrive while a request is in flight wait in {@code pending}, and reading from
 * the client pauses, so a pipelining client cannot make the proxy buffer without bound.
 */
final class HttpFrontendHandler extends ChannelInboundHandlerAdapter {
  private enum State { IDLE, RECORDING_EVENT, CONNECTING, SENDING_BODY, AWAITING_RESPONSE, DISCARDING_BODY, CLOSED }

  private final ProxyContext px;
  private final ListenerKind listener;
  private int defaultPort;
  private String dst;
  private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
  private Channel client;
  private InetAddress clientAddress;
  private State state = State.IDLE;
  private Exchange exchange;
  private Channel upstream;
  /** Where {@code upstream} goes: a keep-alive request to the same host and port reuses it. */
  private Target upstreamTarget;
  private boolean closeAfterResponse;
  /** Bytes of a refused request's body thrown away so far; past the cap the connection is closed. */
  private long discarded;
  static final long MAX_DISCARD = 1 << 20;
  private static final HttpResponseStatus CONNECTION_ESTABLISHED = new HttpResponseStatus(200, "Connection established");

  private final HeadDeadline head;
  /** The memory the client's and the upstream's write buffers hold (section limits). */
  private BufferBudget.Account clientHolds;
  private BufferBudget.Account upstreamHolds;

  HttpFrontendHandler(ProxyContext px, ListenerKind listener, int defaultPort) {
    this.px = px;
    this.listener = listener;
    this.defaultPort = defaultPort;
    this.head = new HeadDeadline(px.headTimeoutNanos, () -> px.stats.refused(ProxyStats.Limit.REQUEST_HEAD_TIMEOUT));
  }

  /** The handler in front of the codec that times this connection's request heads. */
  HeadDeadline headDeadline() {
    return head;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    client = ctx.channel();
    clientAddress = ProxyContext.addressOf(client.remoteAddress());
    clientHolds = px.account(client);
    upstreamHolds = px.account(client);
    if (listener == ListenerKind.INTERCEPT_HTTP) {
      java.net.InetSocketAddress original = org.schoolgate.net.OriginalDestination.of(client);
      if (original != null) {
        defaultPort = original.getPort(); // where the client was going, when its Host header names no port
        dst = original.getAddress().getHostAddress() + ":" + original.getPort();
      }
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.CLOSED) {
      ReferenceCountUtil.release(msg);
      return;
    }
    pending.add(msg);
    drain();
  }

  private void drain() {
    while (!pending.isEmpty() && state != State.CLOSED) {
      Object msg = pending.peek();
      if (state == State.IDLE) {
        pending.poll();
        if (msg instanceof HttpRequest req) {
          startRequest(req);
        } else {
          ReferenceCountUtil.release(msg); // content with no request: only after a request we refused
        }
      } else if (state == State.SENDING_BODY) {
        pending.poll();
        if (msg instanceof HttpContent content) {
          if (content.decoderResult().isFailure()) {
            brokenRequestBody(content);
            break;
          }
          exchange.bytesUp += content.content().readableBytes();
          boolean last = msg instanceof LastHttpContent;
          upstream.write(msg, upstream.voidPromise());
          if (last) {
            upstream.flush();
            state = State.AWAITING_RESPONSE;
          }
        } else {
          ReferenceCountUtil.release(msg);
        }
      } else if (state == State.DISCARDING_BODY) {
        pending.poll();
        boolean last = msg instanceof LastHttpContent;
        boolean broken = false;
        if (msg instanceof HttpContent content) {
          discarded += content.content().readableBytes();
          broken = content.decoderResult().isFailure();
        }
        ReferenceCountUtil.release(msg);
        if (broken) {
          finishExchange(); // the codec reads nothing more on this connection
          closeClient();
        } else if (last) {
          endBlockedExchange();
        } else if (discarded > MAX_DISCARD) {
          finishExchange(); // a refused upload is not worth reading to its end
          closeClient();
        }
      } else {
        break; // RECORDING_EVENT, CONNECTING or AWAITING_RESPONSE: keep it queued
      }
    }
    if (state == State.SENDING_BODY && upstream != null) {
      upstream.flush();
      if (!upstreamHolds.settle(upstream)) {
        overBudget(); // an upload to an upstream that reads too slowly for the memory budget
        return;
      }
    } else if (state == State.IDLE) {
      head.awaitHead();
    }
    updateClientReading();
  }

  private void updateClientReading() {
    if (state == State.CLOSED || !client.isActive()) {
      return;
    }
    // Keep reading while a response is awaited and nothing is queued: a keep-alive client's next
    // request then needs no epoll_ctl to stop and another to restart reading (two syscalls per
    // request). A pipelining client is still held to one read: whatever arrives lands in
    // pending, and a non-empty pending stops reading here.
    boolean read = pending.isEmpty()
        && (state == State.IDLE || state == State.DISCARDING_BODY || state == State.AWAITING_RESPONSE
            || (state == State.SENDING_BODY && upstream != null && upstream.isWritable()));
    client.config().setAutoRead(read);
  }

  private void startRequest(HttpRequest req) {
    head.headArrived();
    exchange = new Exchange(clientAddress, req.method().name(), listener);
    exchange.dst = dst;
    px.activeExchanges.incrementAndGet();
    exchange.clientKeepAlive = HttpUtil.isKeepAlive(req);
    DecoderResult result = req.decoderResult();
    if (result.isFailure()) {
      rejectMalformed(result.cause());
      return;
    }
    FullHttpResponse ambiguous = Refusals.ambiguous(req);
    if (ambiguous != null) {
      exchange.group = px.engine.policy().groupOf(clientAddress);
      replyAndFinish(ambiguous, true);
      return;
    }
    Target target;
    try {
      target = Target.of(req, defaultPort);
    } catch (Target.BadTarget e) {
      exchange.group = px.engine.policy().groupOf(clientAddress);
      replyAndFinish(Pages.error(HttpResponseStatus.BAD_REQUEST, "This request could not be understood", e.getMessage(),
          false), true);
      return;
    }
    exchange.target = target;
    boolean connect = req.method() == HttpMethod.CONNECT;
    if (connect && listener != ListenerKind.PROXY) {
      exchange.group = px.engine.policy().groupOf(clientAddress);
      replyAndFinish(Pages.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "Not here",
          "CONNECT is for the explicit proxy listener", false), true);
      return;
    }
    Decision d = px.engine.decide(clientAddress, target.host(), target.port(), connect ? Access.CONNECT : Access.HTTP);
    exchange.decision = d;
    if (!d.allowed()) {
      exchange.ref = Refs.next();
      boolean head = req.method() == HttpMethod.HEAD;
      state = State.RECORDING_EVENT; // what arrives meanwhile waits in pending
      px.refuse(client, d, target.host(), () -> sendBlockPage(d, target, connect, head));
      return;
    }
    if (connect) {
      openTunnel(target);
    } else {
      forward(req, target);
    }
  }

  private void sendBlockPage(Decision d, Target target, boolean connect, boolean head) {
    if (state != State.RECORDING_EVENT) {
      return; // the client left while the event was written
    }
    FullHttpResponse page = connect
        ? Pages.connectRefused(d, exchange.ref)
        : Pages.blocked(d, target.rawHost(), exchange.ref, px.engine.clock().instant(), px.zone, head);
    exchange.status = page.status().code();
    exchange.bytesDown = page.content().readableBytes();
    HttpUtil.setKeepAlive(page, exchange.clientKeepAlive);
    if (!exchange.clientKeepAlive) {
      closeAfterResponse = true;
    }
    client.writeAndFlush(page);
    state = State.DISCARDING_BODY;
    discarded = 0;
    drain();
  }

  private void rejectMalformed(Throwable cause) {
    if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
      px.stats.refused(ProxyStats.Limit.REQUEST_TOO_LARGE);
    }
    exchange.group = px.engine.policy().groupOf(clientAddress);
    // After a decoding failure the codec discards the rest of the connection: answer, then close.
    replyAndFinish(Refusals.malformed(cause), true);
  }

  /**
   * The request's body could not be decoded part-way (a bad chunk, bare LFs, an overflowing
   * size): what was sent of it must never reach the origin as a complete request, so the
   * upstream connection is reset, not finished, and the client is answered 400 (if no response
   * has begun) and closed.
   */
  private void brokenRequestBody(HttpContent content) {
    Throwable cause = content.decoderResult().cause();
    content.release();
    abortUpstream();
    if (exchange.responseStarted) {
      exchange.aborted = "request-malformed";
      finishExchange();
      closeClient();
    } else {
      replyAndFinish(Refusals.malformed(cause), true);
    }
  }

  /** Sends a response the proxy made itself, logs the exchange, and closes if asked. */
  private void replyAndFinish(FullHttpResponse response, boolean close) {
    exchange.status = response.status().code();
    exchange.bytesDown = response.content().readableBytes();
    closeAfterResponse |= close || !exchange.clientKeepAlive;
    HttpUtil.setKeepAlive(response, !closeAfterResponse);
    client.writeAndFlush(response);
    if (closeAfterResponse) {
      finishExchange();
      closeClient();
    } else {
      state = State.DISCARDING_BODY;
      discarded = 0;
    }
  }

  private void endBlockedExchange() {
    finishExchange();
    if (closeAfterResponse) {
      closeClient();
    } else {
      state = State.IDLE;
    }
  }

  private void forward(HttpRequest req, Target target) {
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
    if (upstream != null && upstream.isActive() && target.port() == upstreamTarget.port()
        && target.host().equals(upstreamTarget.host())) {
      upstream.write(req, upstream.voidPromise());
      state = State.SENDING_BODY;
      return;
    }
    dropUpstream();
    state = State.CONNECTING;
    upstreamTarget = target;
    Future<Channel> f = px.connector.connect(target.host(), target.port(), client.eventLoop(),
        new UpstreamHttpHandler.Initializer(this, px.idleTimeout));
    f.addListener(done -> {
      if (state == State.CLOSED) {
        if (done.isSuccess()) {
          ((Channel) done.getNow()).close();
        }
        ReferenceCountUtil.release(req);
        return;
      }
      if (!done.isSuccess()) {
        ReferenceCountUtil.release(req);
        upstreamTarget = null;
        failUpstream(UpstreamFailure.of(done.cause(), target.host(), target.port()));
        return;
      }
      upstream = (Channel) done.getNow();
      upstream.config().setAutoRead(client.isWritable());
      upstream.write(req, upstream.voidPromise());
      state = State.SENDING_BODY;
      drain();
    });
  }

  /** The upstream could not be reached: 502/504 page (403 for a loop to ourselves). */
  private void failUpstream(UpstreamFailure failure) {
    px.stats.upstreamFailed(failure.kind().label);
    FullHttpResponse page = Refusals.upstream(failure, exchange, px);
    state = State.IDLE;
    replyAndFinish(page, false);
    drain();
  }

  /**
   * An allowed CONNECT. A tunnel to 443 (or upstream.tls_port) must carry TLS, and the name in
   * its ClientHello is decided too: the 200 goes at once, and the upstream is connected only
   * after the peek has decided (so that what it connects to can follow from the decision).
   * Another allowed port is connected first, and a failure is a 502/504 page as for a GET.
   */
  private void openTunnel(Target target) {
    if (target.port() == 443 || target.port() == px.config.upstream().tlsPort()) {
      established(null);
      return;
    }
    state = State.CONNECTING;
    Future<Channel> f = px.connector.connect(target.host(), target.port(), client.eventLoop(),
        px.tunnelUpstream);
    f.addListener(done -> {
      if (state == State.CLOSED) {
        if (done.isSuccess()) {
          ((Channel) done.getNow()).close();
        }
        return;
      }
      if (!done.isSuccess()) {
        failUpstream(UpstreamFailure.of(done.cause(), target.host(), target.port()));
        return;
      }
      established((Channel) done.getNow());
    });
  }

  /** Sends the 200 and turns this connection into a tunnel: to {@code up}, or through a peek when it is null. */
  private void established(Channel up) {
    FullHttpResponse established = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        CONNECTION_ESTABLISHED, Unpooled.EMPTY_BUFFER);
    exchange.status = 200;
    Exchange tunnel = exchange;
    px.activeExchanges.decrementAndGet(); // tunnels are long-lived; shutdown does not wait for them
    exchange = null;
    state = State.CLOSED;
    for (Object o; (o = pending.poll()) != null; ) {
      ReferenceCountUtil.release(o); // the CONNECT's empty last content
    }
    var pipeline = client.pipeline();
    if (up == null) {
      client.config().setAutoRead(false); // the peek starts reading once it is in place
      client.writeAndFlush(established);
      pipeline.replace(this, "peek", new ConnectPeekHandler(px, tunnel));
      pipeline.remove(ProxyInitializer.HTTP_CODEC);
      pipeline.remove(HeadDeadline.NAME);
      return;
    }
    client.writeAndFlush(established).addListener((ChannelFutureListener) written -> {
      if (!written.isSuccess()) {
        up.close();
        return;
      }
      Tunnel.join(px, client, up, tunnel, this, ProxyInitializer.HTTP_CODEC, HeadDeadline.NAME);
    });
  }

  // ---- called by UpstreamHttpHandler, on this channel's event loop ----

  void upstreamRead(Channel from, Object msg) {
    if (from != upstream || exchange == null || !(state == State.AWAITING_RESPONSE || state == State.SENDING_BODY)) {
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
        client.write(msg, client.voidPromise()); // interim response; the real one follows
        return;
      }
      exchange.status = code;
      exchange.responseStarted = true;
      exchange.upstreamReusable = HttpUtil.isKeepAlive(resp);
      boolean framed = HttpUtil.isContentLengthSet(resp) || HttpUtil.isTransferEncodingChunked(resp)
          || code == 204 || code == 304 || "HEAD".equals(exchange.method);
      HopByHop.strip(resp.headers());
      if (!framed || !exchange.clientKeepAlive) {
        closeAfterResponse = true; // the body ends when the connection does
      }
      HttpUtil.setKeepAlive(resp, !closeAfterResponse);
    }
    if (msg instanceof HttpContent content) {
      exchange.bytesDown += content.content().readableBytes();
    }
    boolean last = msg instanceof LastHttpContent;
    client.write(msg, client.voidPromise());
    if (!clientHolds.settle(client)) {
      overBudget(); // the client reads too slowly for the memory budget
      return;
    }
    if (last && exchange.responseStarted) {
      client.flush();
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
    abortUpstream();
    px.stats.upstreamFailed("malformed");
    if (exchange.responseStarted) {
      exchange.aborted = "upstream-malformed";
      finishExchange();
      closeClient();
      return;
    }
    state = State.IDLE;
    replyAndFinish(Pages.error(HttpResponseStatus.BAD_GATEWAY, "The website could not be reached",
        "The website sent an answer that is not valid HTTP.", "HEAD".equals(exchange.method)), true);
  }

  private void endForwardedExchange() {
    boolean bodyStillComing = state == State.SENDING_BODY;
    if (!exchange.upstreamReusable || bodyStillComing) {
      dropUpstream();
    }
    finishExchange();
    if (closeAfterResponse || bodyStillComing) {
      closeClient();
      return;
    }
    state = State.IDLE;
    drain();
  }

  void upstreamReadComplete() {
    client.flush();
    clientHolds.settle(client); // what the flush wrote out is no longer held
  }

  /** This connection would hold more than the memory budget allows: it ends, logged as cut short. */
  private void overBudget() {
    if (exchange != null) {
      exchange.aborted = "buffer-budget";
    }
    abortUpstream();
    finishExchange();
    closeClient();
  }

  void upstreamClosed(Channel from) {
    if (from != upstream) {
      return;
    }
    upstream = null;
    upstreamTarget = null;
    upstreamHolds.close();
    if (exchange == null || !(state == State.AWAITING_RESPONSE || state == State.SENDING_BODY)) {
      return;
    }
    px.stats.upstreamFailed("closed");
    if (exchange.responseStarted) {
      exchange.aborted = from.hasAttr(BufferBudget.CLOSED_FOR) ? from.attr(BufferBudget.CLOSED_FOR).get() : "upstream-closed";
      finishExchange(); // cut short mid-body: the client sees the connection end
      closeClient();
    } else {
      state = State.IDLE;
      replyAndFinish(Pages.error(HttpResponseStatus.BAD_GATEWAY, "The website could not be reached",
          "The website closed the connection without answering.", "HEAD".equals(exchange.method)), true);
    }
  }

  void upstreamWritabilityChanged() {
    if (upstream != null) {
      upstreamHolds.settle(upstream);
    }
    updateClientReading();
  }

  // ---- lifecycle ----

  private void finishExchange() {
    if (exchange == null) {
      return;
    }
    px.activeExchanges.decrementAndGet();
    px.access(exchange.toRecord(px, "", 0));
    exchange = null;
  }

  /** Resets the upstream connection (RST): a request written part-way is never completed. */
  private void abortUpstream() {
    if (upstream != null) {
      if (upstream.isActive()) {
        upstream.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
      }
      dropUpstream();
    }
  }

  private void dropUpstream() {
    upstreamHolds.close();
    if (upstream != null) {
      upstream.close();
      upstream = null;
      upstreamTarget = null;
    }
  }

  private void closeClient() {
    state = State.CLOSED;
    for (Object o; (o = pending.poll()) != null; ) {
      ReferenceCountUtil.release(o);
    }
    Relay.closeOnFlush(client);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    clientHolds.settle(client);
    if (upstream != null) {
      upstream.config().setAutoRead(client.isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange != null) {
      if (exchange.status == 0) {
        exchange.status = 499; // the client went away before the response
      } else if (exchange.responseStarted && exchange.aborted == null) {
        // part of the response was never delivered
        exchange.aborted = client.hasAttr(BufferBudget.CLOSED_FOR) ? client.attr(BufferBudget.CLOSED_FOR).get() : "client-closed";
      }
      finishExchange();
    }
    state = State.CLOSED;
    for (Object o; (o = pending.poll()) != null; ) {
      ReferenceCountUtil.release(o);
    }
    dropUpstream();
    clientHolds.close();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && (state == State.IDLE || state == State.CLOSED || state == State.DISCARDING_BODY)) {
      ctx.close(); // an idle keep-alive connection, or a refused upload that stopped arriving
    } else if (!(evt instanceof IdleStateEvent)) {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // connection resets and the like: nothing to answer, and channelInactive cleans up
  }
}
