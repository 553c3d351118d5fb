package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.schoolgate.net.OriginalDestination;
import org.schoolgate.policy.Access;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.policy.Decision;

/**
 * The intercepted-TLS listener's peek: decides the ClientHello's server name, then refuses the
 * connection (an alert, or for a managed device the HTTPS block page; no upstream connection is
 * ever made) or connects to the name (or to the enforced front end the decision names), on the
 * port the client dialled (its original destination, else {@code upstream.tls_port}).
 */
final class TlsPeekHandler extends HelloPeek {
  private InetSocketAddress dst;
  /** Where the client was going: the original destination's port, or upstream.tls_port. */
  private int port;

  TlsPeekHandler(ProxyContext px, InetAddress client) {
    super(px, new Exchange(client, "TLS", ListenerKind.INTERCEPT_TLS));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    dst = OriginalDestination.of(ch);
    exchange.dst = dst == null ? null : dst.getAddress().getHostAddress() + ":" + dst.getPort();
    port = dst != null ? dst.getPort() : px.config.upstream().tlsPort();
    exchange.target = new Target("", port, "", "");
    super.channelActive(ctx);
  }

  @Override
  protected void onHello(ChannelHandlerContext ctx, HelloName name) {
    if (name.anomaly() != null) {
      anomaly(ctx, name.anomaly(), name.detail(), name.host());
      return;
    }
    String sni = name.host();
    exchange.target = new Target(sni, port, "", sni);
    Decision d = px.engine.decide(exchange.client, sni, port, Access.TLS);
    exchange.decision = d;
    if (d.allowed()) {
      connect(ctx, sni, port, d.reroute());
    } else {
      refuse(ctx, d, sni, sni);
    }
  }

  @Override
  protected void onNoHello(ChannelHandlerContext ctx, String detail) {
    anomaly(ctx, CircumventionKind.NOT_TLS, detail, null);
  }

  /** A connection with no usable name: blocked for groups that block circumvention, else sent where it was going. */
  private void anomaly(ChannelHandlerContext ctx, CircumventionKind kind, String detail, String host) {
    Decision d = px.engine.anomaly(exchange.client, kind, detail);
    exchange.decision = d;
    String shown = host != null ? host : dst != null ? dst.getAddress().getHostAddress() : "";
    exchange.target = new Target(shown, port, "", shown);
    if (!d.allowed()) {
      refuse(ctx, d, shown, host); // no-sni, not-tls: no name to show a page for; ech: its public name
    } else if (dst != null && host == null && kind != CircumventionKind.NOT_TLS) {
      connect(ctx, dst.getAddress().getHostAddress(), dst.getPort(), null); // no name, but the kernel knows the destination
    } else if (host != null) {
      connect(ctx, host, port, null);
    } else {
      refuse(ctx, d, shown, null); // nowhere to send it
    }
  }

  @Override
  protected void onClosedEarly(ChannelHandlerContext ctx) {
    exchange.decision = px.engine.anomaly(exchange.client, CircumventionKind.NOT_TLS, "closed before a ClientHello");
    // A client that hangs up before saying anything is not an attempt at anything: log it, raise no event.
    px.access(exchange.toRecord(px, "", 0));
  }
}
