package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.schoolgate.policy.Access;
import org.schoolgate.policy.CircumventionKind;

/**
 * The first bytes of an allowed CONNECT tunnel to port 443, after the 200 (itself sent once the
 * upstream for the CONNECT's target was open, {@link ConnectHold}): they must be a TLS
 * ClientHello, and its server name is decided too, so that "CONNECT allowed.example:443" followed by a hello for a blocked site on the same front-end servers, or
 * a VPN speaking something else on 443, gets nowhere: the open upstream is closed unused. An
 * allowed hello goes on over it, or, when the hello's decision names another enforced front end,
 * over a new connection to that (the first is closed).
 */
final class ConnectPeekHandler extends HelloPeek {
  /** The upstream opened before the 200 (for the CONNECT's own target or front end), until used or closed. */
  private Channel preopened;
  private final String preopenedTo;

  ConnectPeekHandler(ProxyContext px, Exchange exchange) {
    this(px, exchange, null, null);
  }

  ConnectPeekHandler(ProxyContext px, Exchange exchange, Channel preopened, String preopenedTo) {
    super(px, exchange);
    this.preopened = preopened;
    this.preopenedTo = preopenedTo;
  }

  /**
   * The upstream opened before the 200 serves the tunnel when the hello goes where the CONNECT
   * went; a hello rerouted elsewhere (a search engine's safe front end) closes it and dials anew.
   */
  @Override
  protected Channel opened(String destination, int port) {
    Channel up = preopened;
    preopened = null;
    if (up != null && up.isActive() && destination.equals(preopenedTo) && port == exchange.target.port()) {
      return up;
    }
    if (up != null) {
      up.close();
    }
    return null;
  }

  private void closePreopened() {
    if (preopened != null) {
      preopened.close();
      preopened = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    closePreopened(); // refused, closed early, or gone: the upstream opened for it goes too
    super.handlerRemoved(ctx);
  }

  @Override
  protected void onHello(ChannelHandlerContext ctx, HelloName name) {
    String tunnelHost = exchange.target.host();
    if (name.anomaly() != null) {
      refuseUnless(ctx, px.engine.anomaly(exchange.client, name.anomaly(), name.detail() + " in a tunnel to " + tunnelHost),
          name.host());
    } else if (name.host().equals(tunnelHost)) {
      connect(ctx, tunnelHost, exchange.target.port(), exchange.decision.reroute()); // the CONNECT's own decision stands
    } else {
      refuseUnless(ctx, px.engine.decide(exchange.client, name.host(), exchange.target.port(), Access.TLS), name.host());
    }
  }

  @Override
  protected void onNoHello(ChannelHandlerContext ctx, String detail) {
    closePreopened();
    refuseUnless(ctx, px.engine.anomaly(exchange.client, CircumventionKind.NOT_TLS,
        "not TLS in a tunnel to " + exchange.target.host() + ":" + exchange.target.port() + " (" + detail + ")"), null);
  }

  /** A refused tunnel is just closed, as a refused CONNECT would be had it asked for the name itself. */
  @Override
  protected boolean alertOnRefusal() {
    return false;
  }

  /**
   * Connects if {@code d} allows it, else refuses (a managed device sees the block page for
   * {@code pageName}, the hello's name). An allowed hello goes to the front end its own name is
   * rerouted to (a search engine's name inside a tunnel to another host still gets the engine's
   * safe front end), else to the CONNECT's.
   */
  private void refuseUnless(ChannelHandlerContext ctx, org.schoolgate.policy.Decision d, String pageName) {
    if (d.allowed()) {
      connect(ctx, exchange.target.host(), exchange.target.port(),
          d.reroute() != null ? d.reroute() : exchange.decision.reroute());
    } else {
      closePreopened();
      refuse(ctx, d, exchange.target.host(), pageName);
    }
  }

  @Override
  protected void onClosedEarly(ChannelHandlerContext ctx) {
    px.access(exchange.toRecord(px, exchange.target.host(), exchange.target.port()));
  }
}
