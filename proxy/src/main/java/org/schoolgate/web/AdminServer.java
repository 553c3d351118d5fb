package org.schoolgate.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.schoolgate.config.Config;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.DecisionCheck;
import org.schoolgate.safeguarding.Safeguarding;
import org.schoolgate.store.Store;
import org.schoolgate.supervision.Supervision;

/**
 * The admin listener ({@code listen.admin}): the pipeline
 * {@code [tls -> hsts ->] codec -> allow-from -> aggregator (64 KB, 413 beyond) -> admin}, and the worker threads
 * that authenticate and run the routes. The store, the service, supervision and metrics are made
 * by the composition root ({@code Schoolgate}) and outlive it.
 */
public final class AdminServer extends ChannelInitializer<SocketChannel> implements AutoCloseable {
  /** Request bodies over this get 413. */
  public static final int MAX_BODY = 64 * 1024;

  private final Config config;
  private final Metrics metrics;
  private final Auth auth;
  private final Console console;
  private final RouteTable routes;
  private final ExecutorService workers;
  private final RequestChecks checks;
  private final AdminTls tls;

  /** @throws java.io.IOException when {@code admin.tls} is set and its certificate (or the school CA) cannot be used */
  public AdminServer(Config config, Store store, AdminService service, Supervision supervision, Metrics metrics,
                     Clock clock) throws java.io.IOException {
    this(config, store, service, supervision, metrics, clock, null);
  }

  /** @param subscriptions the list subscriptions shown on the Lists page and {@code /api/lists} (null: none) */
  public AdminServer(Config config, Store store, AdminService service, Supervision supervision, Metrics metrics,
                     Clock clock, org.schoolgate.lists.Subscriptions subscriptions) throws java.io.IOException {
    this(config, store, service, supervision, metrics, clock, subscriptions, null);
  }

  /** @param today the overview's figures of the day, fed by the access lines (null: none) */
  public AdminServer(Config config, Store store, AdminService service, Supervision supervision, Metrics metrics,
                     Clock clock, org.schoolgate.lists.Subscriptions subscriptions, org.schoolgate.review.Today today)
      throws java.io.IOException {
    this.config = config;
    this.metrics = metrics;
    this.auth = new Auth(store, clock);
    Sessions sessions = new Sessions(clock);
    // With admin.tls the cookie is marked Secure; without, the listener serves plain HTTP (limited to admin.allow_from).
    SessionCookie cookie = new SessionCookie(config.admin().tls() != null);
    WebRoutes.Features features = new WebRoutes.Features(service, supervision, new Safeguarding(store, config.timezone()),
        new DecisionCheck(service, config.listen().dns() != null, config.dns().stripEch()), subscriptions, today);
    this.routes = WebRoutes.table(features, config, clock, auth, sessions, cookie);
    this.console = new Console(auth, sessions, routes, cookie);
    this.checks = new RequestChecks(RequestChecks.names(config.admin().hostnames(), config.admin().consoleUrl()),
        config.admin().tls() != null);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "schoolgate-admin-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.tls = AdminTls.of(config, workers);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    io.netty.channel.ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      p.addLast("tls", tls.newHandler(ch.alloc()));
    }
    p.addLast("idle", new IdleStateHandler(0, 0, 60, TimeUnit.SECONDS)).addLast("http", new HttpServerCodec());
    if (tls != null) {
      p.addLast("hsts", AdminTls.Hsts.INSTANCE); // after the codec: it sees responses before they are encoded
    }
    p.addLast("allow-from", new AllowFromFilter(config.admin().allowFrom()))
        .addLast("aggregate", new HttpObjectAggregator(MAX_BODY) {
          @Override
          protected void handleOversizedMessage(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage oversized) {
            AdminHandler.send(ctx, 413, Json.error("The request is too large (64 KB at most)"), "application/json", false);
          }
        })
        .addLast("admin", new AdminHandler(auth, console, routes, metrics, workers, checks));
  }

  @Override
  public void close() {
    workers.shutdown();
  }
}
