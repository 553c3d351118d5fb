package org.schoolgate.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.schoolgate.config.Config;
import org.schoolgate.log.JsonLogs;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.store.SqliteStore;
import org.schoolgate.store.Store;

/**
 * Everything behind {@code listen.admin}: the store, the admin rules, supervision, metrics,
 * and the pipeline {@code codec -> aggregator (64 KB, 413 beyond) -> admin}.
 */
public final class AdminServer extends ChannelInitializer<SocketChannel> implements AutoCloseable {
  /** Request bodies over this get 413. */
  public static final int MAX_BODY = 64 * 1024;

  private final Config config;
  private final Store store;
  private final AdminService service;
  private final Supervision supervision;
  private final Metrics metrics;
  private final Auth auth;
  private final AdminRoutes routes;
  private final ExecutorService workers;

  /**
   * @param closeTunnelsTo called with a newly blocked domain, to close the open tunnels it now forbids
   */
  public AdminServer(Config config, PolicyEngine engine, Clock clock, JsonLogs logs, Metrics metrics,
                     java.util.function.Consumer<String> closeTunnelsTo) throws IOException {
    this.config = config;
    this.metrics = metrics;
    this.store = SqliteStore.open(config.dataDir());
    this.service = new AdminService(store, engine, clock, config.timezone(), record -> {
      logs.audit(record);
      metrics.adminChange(record);
    }, closeTunnelsTo);
    this.supervision = new Supervision(service, config.circumvention(), clock, logs::circumvention);
    this.auth = new Auth(store, clock);
    this.routes = new AdminRoutes(service, supervision);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "schoolgate-admin-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public Supervision supervision() {
    return supervision;
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
        .addLast("admin", new AdminHandler(auth, routes, metrics, workers));
  }

  @Override
  public void close() {
    workers.shutdown();
    supervision.close();
    store.close();
  }
}
