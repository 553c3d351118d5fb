package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
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
 *   IDLE --CONNECT--> (443) handler replaced by a ClientHello peek; (other ports) CONNECTING --connected--> a byte relay
 * </pre>
 *
 * This class is the request gate: it reads, decides, refuses (block page, 400s) and keeps the
 * state; {@link Forwarder} is the upstream leg of an allowed request and {@link TunnelOpener}
 * turns an allowed CONNECT into a tunnel, both working on this state on the same event loop.
 * Messages that arrive while a request is in flight wait in {@code pending}, and reading from
 * the client pauses, so a pipelining client cannot make the proxy buffer without bound.
 */
final class HttpFrontendHandler extends ChannelInboundHandlerAdapter {
  enum State { IDLE, RECORDING_EVENT, CONNECTING, SENDING_BODY, AWAITING_RESPONSE, DISCARDING_BODY, CLOSED }

  private final ProxyContext px;
  private final ListenerKind listener;
  private int defaultPort;
  private String dst;
  final ArrayDeque<Object> pending = new ArrayDeque<>(4);
  Channel client;
  private InetAddress clientAddress;
  State state = State.IDLE;
  Exchange exchange;
  boolean closeAfterResponse;
  /** Bytes of a refused request's body thrown away so far; past the cap the connection is closed. */
  private long discarded;
  static final long MAX_DISCARD = 1 << 20;

  private final HeadDeadline head;
  /** The memory the client's and the upstream's write buffers hold (section limits). */
  BufferBudget.Account clientHolds;
  private Forwarder forwarder;

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
    forwarder = new Forwarder(this, px, px.account(client));
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

  void drain() {
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
          forwarder.write(content, last);
          if (last) {
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
    if (state == State.SENDING_BODY && forwarder.upstream != null) {
      if (!forwarder.flush()) {
        overBudget(); // an upload to an upstream that reads too slowly for the memory budget
        return;
      }
    } else if (state == State.IDLE) {
      head.awaitHead();
    }
    updateClientReading();
  }

  void updateClientReading() {
    if (state == State.CLOSED || !client.isActive()) {
      return;
    }
    // Keep reading while a response is awaited and nothing is queued: a keep-alive client's next
    // request then needs no epoll_ctl to stop and another to restart reading (two syscalls per
    // request). A pipelining client is still held to one read: whatever arrives lands in
    // pending, and a non-empty pending stops reading here.
    boolean read = pending.isEmpty()
        && (state == State.IDLE || state == State.DISCARDING_BODY || state == State.AWAITING_RESPONSE
            || (state == State.SENDING_BODY && forwarder.writable()));
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
      TunnelOpener.open(this, px, target);
    } else {
      forwarder.send(req, target);
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
    forwarder.abort();
    if (exchange.responseStarted) {
      exchange.aborted = "request-malformed";
      finishExchange();
      closeClient();
    } else {
      replyAndFinish(Refusals.malformed(cause), true);
    }
  }

  /** Sends a response the proxy made itself, logs the exchange, and closes if asked. */
  void replyAndFinish(FullHttpResponse response, boolean close) {
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

  /** The upstream could not be reached: 502/504 page (403 for a loop to ourselves). */
  void failUpstream(UpstreamFailure failure) {
    px.stats.upstreamFailed(failure.kind().label);
    FullHttpResponse page = Refusals.upstream(failure, exchange, px);
    state = State.IDLE;
    replyAndFinish(page, false);
    drain();
  }

  /** This connection would hold more than the memory budget allows: it ends, logged as cut short. */
  void overBudget() {
    if (exchange != null) {
      exchange.aborted = "buffer-budget";
    }
    forwarder.abort();
    finishExchange();
    state = State.CLOSED;
    for (Object o; (o = pending.poll()) != null; ) {
      ReferenceCountUtil.release(o);
    }
    Relay.reset(client); // not a graceful close: a slow reader would keep its buffers until it read them
  }

  // ---- lifecycle ----

  void finishExchange() {
    if (exchange == null) {
      return;
    }
    px.activeExchanges.decrementAndGet();
    px.access(exchange.toRecord(px, "", 0));
    exchange = null;
  }

  void closeClient() {
    state = State.CLOSED;
    for (Object o; (o = pending.poll()) != null; ) {
      ReferenceCountUtil.release(o);
    }
    Relay.closeOnFlush(client);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    clientHolds.settle(client);
    forwarder.autoRead(client.isWritable());
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
    forwarder.drop();
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
    Failures.close(ctx, cause);
  }
}
