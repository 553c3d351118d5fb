package org.schoolgate.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin request from an allowed address ({@link AllowFromFilter} has already refused the
 * rest): {@code /healthz} and {@code /metrics} for anyone, else authentication and the route,
 * on the admin worker threads. Every error is {@code {"error": "..."}}.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

  /** What a request that needed the trust's database hears while it is away (SPEC section 12). */
  static final ApiError DATABASE_AWAY = new ApiError(503, "The trust's database cannot be reached just now, so nothing "
      + "was changed. Filtering goes on with the rules already in force; please try again in a minute.", 30);

  private final Auth auth;
  private final AdminRoutes routes;
  private final Metrics metrics;
  private final Executor workers;

  AdminHandler(Auth auth, AdminRoutes routes, Metrics metrics, Executor workers) {
    this.auth = auth;
    this.routes = routes;
    this.metrics = metrics;
    this.workers = workers;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    InetAddress from = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (!req.decoderResult().isSuccess()) {
      send(ctx, 400, Json.error("The request could not be understood"), "application/json", false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    if (req.method() == HttpMethod.GET && uri.path().equals("/healthz")) {
      send(ctx, 200, "ok\n", "text/plain; charset=utf-8", keepAlive);
      return;
    }
    if (req.method() == HttpMethod.GET && uri.path().equals("/metrics")) {
      send(ctx, 200, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8", keepAlive);
      return;
    }
    HttpMethod method = req.method();
    String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    String body = req.content().toString(StandardCharsets.UTF_8);
    CompletableFuture.supplyAsync(() -> auth.authenticate(header, from), workers)
        .thenCompose(who -> routes.route(method, uri, body, who))
        .whenComplete((response, failure) -> {
          if (failure == null) {
            send(ctx, response.status(), response.body() == null ? "" : Json.write(response.body()),
                "application/json", keepAlive);
            return;
          }
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
          if (cause instanceof org.schoolgate.store.StoreUnavailableException) {
            cause = DATABASE_AWAY; // nothing was changed; filtering goes on with the rules in force
          }
          if (cause instanceof ApiError e) {
            send(ctx, e.status(), Json.error(e.getMessage()), "application/json", keepAlive, e.retryAfterSeconds());
          } else {
            log.error("admin request {} {} failed", method, uri.path(), cause);
            send(ctx, 500, Json.error("Something went wrong on the server; the network manager can see it in the log"),
                "application/json", keepAlive);
          }
        });
  }

  static void send(ChannelHandlerContext ctx, int status, String body, String type, boolean keepAlive) {
    send(ctx, status, body, type, keepAlive, 0);
  }

  static void send(ChannelHandlerContext ctx, int status, String body, String type, boolean keepAlive,
                   long retryAfterSeconds) {
    ByteBuf content = status == 204 ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
    if (status != 204) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    }
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (status == 401) {
      r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"schoolgate\", charset=\"UTF-8\"");
    }
    if (retryAfterSeconds > 0) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
    }
    HttpUtil.setKeepAlive(r, keepAlive);
    var f = ctx.writeAndFlush(r);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
