package org.schoolgate.admin;

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
import org.schoolgate.store.Store;

/**
 * The admin listener ({@code listen.admin}): the pipeline
 * {@code codec -> allow-from -> aggregator (64 KB, 413 beyond) -> admin}, and the worker threads
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
  private final AdminRoutes routes;
  private final ExecutorService workers;

  public AdminServer(Config config, Store store, AdminService service, Supervision supervision, Metrics metrics,
                     Clock clock) {
    this.config = config;
    this.metrics = metrics;
    this.auth = new Auth(store, clock);
    Safeguarding safeguarding = new Safeguarding(store, config.timezone());
    DecisionCheck checks = new DecisionCheck(service, config.listen().dns() != null, config.dns().stripEch());
    this.routes = new AdminRoutes(service, supervision, safeguarding, checks);
    // The admin listener serves plain HTTP (it is limited to admin.allow_from), so the cookie is not marked Secure.
    this.console = new Console(auth, new Sessions(clock), new ConsolePages(service, supervision,
        new SafeguardingPages(safeguarding, config, clock), checks), false);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "schoolgate-admin-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(0, 0, 60, TimeUnit.SECONDS))
        .addLast("http", new HttpServerCodec())
        .addLast("allow-from", new AllowFromFilter(config.admin().allowFrom()))
        .addLast("aggregate", new HttpObjectAggregator(MAX_BODY) {
          @Override
          protected void handleOversizedMessage(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage oversized) {
            AdminHandler.send(ctx, 413, Json.error("The request is too large (64 KB at most)"), "application/json", false);
          }
        })
        .addLast("admin", new AdminHandler(auth, console, routes, metrics, workers));
  }

  @Override
  public void close() {
    workers.shutdown();
  }
}
