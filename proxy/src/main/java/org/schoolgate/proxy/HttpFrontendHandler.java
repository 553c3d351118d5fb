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
import org.schoolgate.proxy.RequestStates.Next;
import org.schoolgate.proxy.RequestStates.State;

/**
 * The client side of an HTTP proxy connection (explicit listener, or intercepted port 80):
 * requests on one keep-alive connection are handled one at a time, each decided on its own. This
 * class reads, checks ({@link Refusals#gate}), decides, and alone moves the request through the
 * states of {@link RequestStates} ({@link #apply}). Its helpers ({@link Answers}, {@link Forwarder},
 * {@link TunnelOpener}) return the step that should follow; what they learn later comes back
 * through {@link #resume}, as a task of its own, never inside {@link #drain}. Messages that arrive
 * while a request is in flight wait in {@code pending} and reading pauses: a pipelining client
 * cannot make us buffer.
 */
final class HttpFrontendHandler extends ChannelInboundHandlerAdapter {
  private final ProxyContext px;
  private final ListenerKind listener;
  private int defaultPort;
  private String dst;
  private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
  private Channel client;
  private InetAddress clientAddress;
  private final RequestStates states = new RequestStates();
  private Exchange exchange;
  /** The client half-closed (SHUT_WR) after its requests: they are answered, then the connection closes. */
  private boolean inputClosed;
  private final DiscardedBody discarded = new DiscardedBody();

  private final HeadDeadline head;
  /** The memory the client's and the upstream's write buffers hold (section limits). */
  private BufferBudget.Account clientHolds;
  private Forwarder forwarder;
  private final Runnable drainLater = this::drain;

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
    forwarder = new Forwarder(this, px, client, clientHolds, px.account(client));
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
    if (states.is(State.CLOSED)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    pending.add(msg);
    drain();
  }

  /** What a helper found later (the event written, the upstream connected or done): the step, then what waited for it. */
  void resume(Next next) {
    apply(next);
    drain();
  }

  /** The exchange being forwarded upstream, or null when none is (the state is not sending or awaiting). */
  Exchange forwarding() {
    return states.is(State.SENDING_BODY) || states.is(State.AWAITING_RESPONSE) ? exchange : null;
  }

  boolean sendingBody() {
    return states.is(State.SENDING_BODY);
  }

  boolean closed() {
    return states.is(State.CLOSED);
  }

  /** Takes a step by the table, and what it means: an ended exchange logged, a connection closed or given away. */
  private void apply(Next next) {
    states.move(next);
    switch (next) {
      case DISCARD_BODY -> discarded.restart();
      case NEXT_REQUEST -> finishExchange();
      case CLOSE, RESET -> {
        finishExchange();
        releasePending();
        if (next == Next.RESET) {
          Relay.reset(client);
        } else {
          Relay.closeOnFlush(client);
        }
      }
      case TUNNEL -> {
        exchange = null; // the tunnel logs it
        releasePending(); // the CONNECT's empty last content
      }
      case TLS_BLOCK_PAGE, GONE -> {
        finishExchange();
        releasePending();
      }
      default -> { }
    }
  }

  private void releasePending() {
    for (Object o; (o = pending.poll()) != null; ) {
      ReferenceCountUtil.release(o);
    }
  }

  private void drain() {
    while (!pending.isEmpty() && !states.is(State.CLOSED)) {
      Object msg = pending.peek();
      State state = states.state();
      if (state == State.IDLE) {
        if (!client.isWritable()) {
          break; // the client is not reading our answers: its next request waits (no unbounded queue of pages)
        }
        pending.poll();
        if (msg instanceof HttpRequest req) {
          apply(startRequest(req));
        } else {
          ReferenceCountUtil.release(msg); // content with no request: only after a request we refused
        }
      } else if (state == State.SENDING_BODY) {
        pending.poll();
        if (msg instanceof HttpContent content) {
          if (content.decoderResult().isFailure()) {
            apply(forwarder.answers().brokenRequestBody(content, exchange));
            break;
          }
          exchange.bytesUp += content.content().readableBytes();
          boolean last = msg instanceof LastHttpContent;
          forwarder.write(content, last);
          if (last) {
            apply(Next.AWAIT_RESPONSE);
          }
        } else {
          ReferenceCountUtil.release(msg);
        }
      } else if (state == State.DISCARDING_BODY) {
        Next next = discarded.take(pending.poll(), exchange.closeAfter);
        if (next != null) {
          apply(next);
        }
      } else {
        break; // RECORDING_EVENT, CONNECTING or AWAITING_RESPONSE: keep it queued
      }
    }
    if (states.is(State.SENDING_BODY) && forwarder.upstream != null) {
      if (!forwarder.flush()) {
        apply(forwarder.answers().overBudget(exchange)); // an upload to an upstream that reads too slowly for the memory budget
        return;
      }
    } else if (inputClosed && pending.isEmpty() && (states.is(State.IDLE) || states.is(State.DISCARDING_BODY))) {
      apply(Next.CLOSE); // a half-closed client: answered, and nothing more will come (a refused body never ends)
      return;
    } else if (states.is(State.IDLE)) {
      head.awaitHead();
    }
    updateClientReading();
  }

  void updateClientReading() {
    State state = states.state();
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

  private Next startRequest(HttpRequest req) {
    head.headArrived();
    Exchange x = exchange = new Exchange(clientAddress, req.method().name(), listener);
    x.dst = dst;
    px.activeExchanges.incrementAndGet();
    x.clientKeepAlive = HttpUtil.isKeepAlive(req);
    Refusals.Gate gate = Refusals.gate(req, listener, defaultPort, px.stats);
    if (gate.refusal() != null) {
      x.group = px.engine.policy().groupOf(clientAddress);
      return forwarder.answers().replyAndFinish(gate.refusal(), true, x);
    }
    Target target = x.target = gate.target();
    boolean connect = req.method() == HttpMethod.CONNECT;
    Decision d = x.decision =
        px.engine.decide(clientAddress, target.host(), target.port(), connect ? Access.CONNECT : Access.HTTP);
    if (d.allowed()) {
      return connect ? TunnelOpener.open(this, client, px, x, target) : forwarder.send(req, target, d, x);
    }
    x.ref = px.ref(clientAddress, target.host());
    boolean head = req.method() == HttpMethod.HEAD;
    if (d.circumvention() == null) {
      return forwarder.answers().blockPage(this, d, target, connect, head, x); // nothing to record first
    }
    // the page waits for the event to be written; px.refuse runs this later, as a task on this loop
    px.refuse(client, d, target.host(), () -> {
      if (states.is(State.RECORDING_EVENT)) { // else the client left meanwhile
        resume(forwarder.answers().blockPage(this, d, target, connect, head, x));
      }
    });
    return Next.RECORD_EVENT; // what arrives meanwhile waits in pending
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

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    clientHolds.refund(client);
    forwarder.autoRead(client.isWritable());
    if (client.isWritable() && !states.is(State.CLOSED)) {
      // requests that waited for the client to read our answers; a task of its own, since a
      // flush inside drain can make the client writable again, here, in the middle of it
      ctx.executor().execute(drainLater);
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
      exchange.clientGone();
    }
    apply(Next.GONE);
    forwarder.drop();
    clientHolds.close();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    State state = states.state();
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
