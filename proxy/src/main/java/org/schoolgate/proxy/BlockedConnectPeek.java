package org.schoolgate.proxy;

import io.netty.channel.ChannelHandlerContext;

/**
 * A blocked CONNECT from a managed device, answered 200 so that its browser starts TLS (SPEC
 * section 9): the ClientHello that follows goes to the HTTPS block page, with a leaf for the
 * CONNECT's host (the hello's own name is not needed: a browser sends none for an IP address).
 * Anything that is not a ClientHello, or none in time, is closed. The CONNECT's refusal was
 * logged, and its event written, before the 200.
 */
final class BlockedConnectPeek extends HelloPeek {
  BlockedConnectPeek(ProxyContext px, Exchange refused) {
    super(px, refused);
  }

  @Override
  protected void onHello(ChannelHandlerContext ctx, HelloName name) {
    blockPage(ctx, exchange.target.host());
  }

  @Override
  protected void onNoHello(ChannelHandlerContext ctx, String detail) {
    ctx.close();
  }

  @Override
  protected void onClosedEarly(ChannelHandlerContext ctx) {
    // logged already, as the refused CONNECT it is
  }
}
