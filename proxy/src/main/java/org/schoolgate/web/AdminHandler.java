package org.schoolgate.web;

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
import java.util.concurrent.Executor;
import org.schoolgate.admin.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin request from an allowed address ({@link AllowFromFilter} has already refused the
 * rest): {@code /healthz}, {@code /metrics} and the console's {@code /assets/} for anyone;
 * {@code /api/...} authenticated (HTTP Basic or the console's cookie) and routed, every error
 * {@code {"error": "..."}}; every other path is the web console ({@link Console}), in HTML.
 * Authentication, routes and pages run on the admin worker threads.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

  /** The header that carries a console page's CSRF token when the page calls the API. */
  static final String CSRF_HEADER = "X-CSRF-Token";

  private final Auth auth;
  private final Console console;
  private final RouteTable routes;
  private final Metrics metrics;
  private final Executor workers;
  private final RequestChecks checks;

  AdminHandler(Auth auth, Console console, RouteTable routes, Metrics metrics, Executor workers, RequestChecks checks) {
    this.checks = checks;
    this.auth = auth;
    this.console = console;
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
    boolean api = uri.path().equals("/api") || uri.path().startsWith("/api/");
    RequestChecks.Refusal refused = checks.check(req, api, req.content().readableBytes());
    if (refused != null) {
      send(ctx, refused.status(), api ? Json.error(refused.sentence()) : refused.sentence() + "\n",
          api ? "application/json" : "text/plain; charset=utf-8", keepAlive);
      return;
    }
    boolean browser = RequestChecks.fromBrowser(req.headers());
    if (req.method() == HttpMethod.GET && uri.path().equals("/healthz")) {
      send(ctx, 200, "ok\n", "text/plain; charset=utf-8", keepAlive);
      return;
    }
    if (req.method() == HttpMethod.GET && uri.path().equals("/metrics")) {
      send(ctx, 200, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8", keepAlive);
      return;
    }
    HttpMethod method = req.method();
    String path = uri.path();
    if (path.startsWith("/assets/")) {
      Assets.Asset asset = method == HttpMethod.GET || method == HttpMethod.HEAD ? Assets.find(path) : null;
      if (asset == null) {
        send(ctx, 404, "Not found\n", "text/plain; charset=utf-8", keepAlive);
      } else {
        sendAsset(ctx, asset, keepAlive);
      }
      return;
    }
    String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    String cookies = req.headers().get(HttpHeaderNames.COOKIE);
    String csrf = req.headers().get(CSRF_HEADER);
    String body = req.content().toString(StandardCharsets.UTF_8);
    if (!api) {
      CompletableFuture.supplyAsync(() -> console.handle(method, uri, body, cookies, from), workers)
          .whenComplete((reply, failure) -> {
            if (failure != null) {
              log.error("console request {} {} failed", method, path, failure);
              ctx.close();
            } else {
              sendReply(ctx, reply, keepAlive && reply.status() < 500, method == HttpMethod.HEAD);
            }
          });
      return;
    }
    CompletableFuture.supplyAsync(() -> caller(header, cookies, csrf, method, from), workers)
        .thenCompose(who -> routes.route(method, uri, body, who))
        .whenComplete((response, failure) -> {
          if (failure == null) {
            send(ctx, response.status(), response.body() == null ? "" : Json.write(response.body()),
                "application/json", keepAlive, 0, response.next(), false);
            return;
          }
          Failures.Answer a = Failures.answer(failure, method.name(), uri.path());
          send(ctx, a.status(), Json.error(a.sentence()), "application/json", keepAlive, a.retryAfterSeconds(), null,
              a.status() == 401 && !browser);
        });
  }

  /**
   * Who calls the API: HTTP Basic (scripts) when the request carries it, else the console's session
   * cookie; a change made with the cookie must carry the page's CSRF token in {@value #CSRF_HEADER}.
   */
  private Auth.Principal caller(String header, String cookies, String csrf, HttpMethod method, InetAddress from) {
    if (header == null && cookies != null) {
      Sessions.Session s = console.session(cookies);
      if (s != null) {
        boolean change = !(method == HttpMethod.GET || method == HttpMethod.HEAD);
        if (change && !s.csrfMatches(csrf)) {
          throw new ApiError(403, "A change made from the console must carry the page's " + CSRF_HEADER
              + " token; nothing was changed");
        }
        return s.who;
      }
    }
    return auth.authenticate(header, from);
  }

  private static void sendReply(ChannelHandlerContext ctx, Reply reply, boolean keepAlive, boolean head) {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()),
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.type()).setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    reply.headers().forEach((name, value) -> r.headers().add(name, value));
    HttpUtil.setKeepAlive(r, keepAlive);
    var f = ctx.writeAndFlush(r);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void sendAsset(ChannelHandlerContext ctx, Assets.Asset asset, boolean keepAlive) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.wrappedBuffer(asset.bytes()));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.type()).setInt(HttpHeaderNames.CONTENT_LENGTH, asset.bytes().length)
        .set(HttpHeaderNames.CACHE_CONTROL, "max-age=3600").set("X-Content-Type-Options", "nosniff");
    HttpUtil.setKeepAlive(r, keepAlive);
    var f = ctx.writeAndFlush(r);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  static void send(ChannelHandlerContext ctx, int status, String body, String type, boolean keepAlive) {
    send(ctx, status, body, type, keepAlive, 0);
  }

  static void send(ChannelHandlerContext ctx, int status, String body, String type, boolean keepAlive,
                   long retryAfterSeconds) {
    send(ctx, status, body, type, keepAlive, retryAfterSeconds, null, false);
  }

  /**
   * @param next the next page of a list, sent as {@code Link: <next>; rel="next"} (null: none)
   * @param challenge add {@code WWW-Authenticate: Basic} (a 401 to a script; never to a browser, see {@link RequestChecks})
   */
  static void send(ChannelHandlerContext ctx, int status, String body, String type, boolean keepAlive,
                   long retryAfterSeconds, String next, boolean challenge) {
    ByteBuf content = status == 204 ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
    if (status != 204) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    }
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (challenge) {
      r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"schoolgate\", charset=\"UTF-8\"");
    }
    if (retryAfterSeconds > 0) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
    }
    if (next != null) {
      r.headers().set("Link", "<" + next + ">; rel=\"next\"");
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
