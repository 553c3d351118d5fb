package org.schoolgate.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.schoolgate.values.Cidr;

/**
 * {@code admin.allow_from}, checked on the request line and headers, before any body is
 * buffered and before authentication: 403 and close for any other address.
 */
final class AllowFromFilter extends ChannelInboundHandlerAdapter {
  private final List<Cidr> allowFrom;
  private Boolean allowed;

  AllowFromFilter(List<Cidr> allowFrom) {
    this.allowFrom = allowFrom;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (allowed == null) {
      InetAddress from = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
      allowed = allowFrom.stream().anyMatch(c -> c.contains(from));
    }
    if (allowed) {
      ctx.fireChannelRead(msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    if (msg instanceof HttpRequest) {
      AdminHandler.send(ctx, 403, Json.error("The admin endpoint cannot be reached from this network"),
          "application/json", false);
    }
  }
}
