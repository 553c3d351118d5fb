package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.util.ArrayDeque;
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
 * This class is the request gate: it reads, checks ({@link Refusals#gate}), decides and keeps the
 * state; {@link Answers} makes the proxy's own answers (block page, 400s, 502s), {@link Forwarder}
 * is the upstream leg of an allowed request and {@link TunnelOpener} turns an allowed CONNECT
 * into a tunnel, all on this state and event loop. Messages that arrive while a request is in
 * flight wait in {@code pending} and reading pauses: a pipelining client cannot make us buffer.
 */
final class HttpFrontendHandler extends ChannelInboundHandlerAdapter {
  enum State { IDLE, RECORDING_EVENT, CONNECTING, SENDING_BODY, AWAITING_RESPONSE, DISCARDING_BODY, CLOSED }

  private final ProxyContext px;
  private final ListenerKind listener;
  private int defaultPort;
  private String dst;
  /** Set while {@link #drain} runs, so a refusal answered inside it does not drain again, deeper. */
  private boolean draining;
  final ArrayDeque<Object> pending = new ArrayDeque<>(4);
  Channel client;
  private InetAddress clientAddress;
  State state = State.IDLE;
  Exchange exchange;
  boolean closeAfterResponse;
  /** The client half-closed (SHUT_WR) after its requests: they are answered, then the connection closes. */
  private boolean inputClosed;
  /** Bytes of a refused request's body thrown away so far; past the cap the connection is closed. */
  long discarded;
  static final long MAX_DISCARD = 1 << 20;

  private final HeadDeadline head;
  /** The memory the client's and the upstream's write buffers hold (section limits). */
  BufferBudget.Account clientHolds;
  Forwarder forwarder;
  final Answers answers;

  HttpFrontendHandler(ProxyContext px, ListenerKind listener, int defaultPort) {
    this.px = px;
    this.listener = listener;
    this.defaultPort = defaultPort;
    this.head = new HeadDeadline(px.headTimeoutNanos, () -> px.stats.refused(ProxyStats.Limit.REQUEST_HEAD_TIMEOUT));
    this.answers = new Answers(this, px);
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
    if (draining) {
      return; // a refusal answered inside this loop: the loop itself goes on with the new state
    }
    draining = true;
    try {
      drainPending();
    } finally {
      draining = false;
    }
  }

  private void drainPending() {
    while (!pending.isEmpty() && state != State.CLOSED) {
      Object msg = pending.peek();
      if (state == State.IDLE) {
        if (!client.isWritable()) {
          break; // the client is not reading our answers: its next request waits (no unbounded queue of pages)
        }
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
            answers.brokenRequestBody(content);
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
          answers.endBlockedExchange();
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
        answers.overBudget(); // an upload to an upstream that reads too slowly for the memory budget
        return;
      }
    } else if (inputClosed && pending.isEmpty() && (state == State.IDLE || state == State.DISCARDING_BODY)) {
      finishExchange(); // a half-closed client: answered, and nothing more will come (a refused body never ends)
      closeClient();
      return;
    } else if (state == State.IDLE) {
      head.awaitHead();
    }
    updateClientReading();
  }

  void updateClientReading() {
    if (state == State.CLOSED || !client.isActive() || inputClosed) {
      return; // half-closed: nothing more to read (and epoll refuses to watch a shut input again)
    }
    // Keep reading while a response is awaited and nothing is queued (no epoll_ctl pair per
    // keep-alive request); a pipelining client is held to one read by a non-empty pending, and a
    // client that does not read our answers is not read either.
    boolean read = pending.isEmpty() && ((client.isWritable() && (state == State.IDLE
        || state == State.DISCARDING_BODY || state == State.AWAITING_RESPONSE))
        || (state == State.SENDING_BODY && forwarder.writable()));
    client.config().setAutoRead(read);
  }

  private void startRequest(HttpRequest req) {
    head.headArrived();
    (exchange = new Exchange(clientAddress, req.method().name(), listener)).dst = dst;
    px.activeExchanges.incrementAndGet();
    exchange.clientKeepAlive = HttpUtil.isKeepAlive(req);
    Refusals.Gate gate = Refusals.gate(req, listener, defaultPort, px.stats);
    if (gate.refusal() != null) {
      exchange.group = px.engine.policy().groupOf(clientAddress);
      answers.replyAndFinish(gate.refusal(), true);
      return;
    }
    Target target = exchange.target = gate.target();
    boolean connect = req.method() == HttpMethod.CONNECT;
    Decision d = exchange.decision =
        px.engine.decide(clientAddress, target.host(), target.port(), connect ? Access.CONNECT : Access.HTTP);
    if (!d.allowed()) {
      exchange.ref = px.ref(clientAddress, target.host());
      boolean head = req.method() == HttpMethod.HEAD;
      state = State.RECORDING_EVENT; // what arrives meanwhile waits in pending
      px.refuse(client, d, target.host(), () -> answers.blockPage(d, target, connect, head));
    } else if (connect) {
      TunnelOpener.open(this, px, target);
    } else {
      forwarder.send(req, target, d);
    }
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
    close(false);
  }

  void close(boolean reset) {
    state = State.CLOSED;
    for (Object o; (o = pending.poll()) != null; ) {
      ReferenceCountUtil.release(o);
    }
    if (reset) {
      Relay.reset(client);
    } else {
      Relay.closeOnFlush(client);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    clientHolds.refund(client);
    forwarder.autoRead(client.isWritable());
    if (client.isWritable() && state != State.CLOSED) {
      drain(); // requests that waited for the client to read our answers
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** Replaced by a tunnel or a peek: what this handler held for the connection goes with it. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    forwarder.drop();
    clientHolds.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange != null) {
      if (exchange.status == 0) {
        exchange.status = 499; // the client went away before the response
      } else if (exchange.responseStarted && exchange.aborted == null) {
        // part of the response was never delivered
        exchange.aborted = "client-closed";
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
    if (evt instanceof ChannelInputShutdownEvent && state != State.CLOSED) {
      inputClosed = true;
      drain();
    } else if (evt instanceof IdleStateEvent && (state == State.IDLE || state == State.CLOSED || state == State.DISCARDING_BODY)) {
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
