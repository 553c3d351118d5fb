package org.schoolgate;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.schoolgate.alert.AlertSender;
import org.schoolgate.alert.Alerts;
import org.schoolgate.blocklist.BlocklistWatcher;
import org.schoolgate.blocklist.Blocklists;
import org.schoolgate.ca.LeafMinter;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.config.Config;
import org.schoolgate.dns.DnsGuard;
import org.schoolgate.dns.DnsReports;
import org.schoolgate.lists.Fetcher;
import org.schoolgate.lists.ListEvents;
import org.schoolgate.lists.ListMetrics;
import org.schoolgate.lists.ProxyDns;
import org.schoolgate.lists.Subscriptions;
import org.schoolgate.log.JsonLogs;
import org.schoolgate.log.ProxyEvents;
import org.schoolgate.net.HostsFile;
import org.schoolgate.net.Resolver;
import org.schoolgate.net.SelfAddresses;
import org.schoolgate.net.Transport;
import org.schoolgate.net.UpstreamConnector;
import org.schoolgate.policy.AdminRules;
import org.schoolgate.policy.Policy;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.proxy.HttpsBlockPage;
import org.schoolgate.proxy.ListenerKind;
import org.schoolgate.proxy.ProxyContext;
import org.schoolgate.proxy.ProxyInitializer;
import org.schoolgate.proxy.TlsInitializer;
import org.schoolgate.rules.AdminService;
import org.schoolgate.store.Store;
import org.schoolgate.store.StoreException;
import org.schoolgate.store.Stores;
import org.schoolgate.supervision.Supervision;
import org.schoolgate.web.AdminServer;
import org.schoolgate.web.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running schoolgate: the policy, the listeners and everything behind them. {@link #start}
 * returns when every listener is bound; {@link #close} stops accepting, lets HTTP exchanges
 * under way finish (up to 10 s), then closes what is left.
 */
public final class Schoolgate implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schoolgate.class);
  static final Duration DRAIN = Duration.ofSeconds(10);

  private final Config config;
  private final PolicyEngine engine;
  private final JsonLogs logs;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Resolver resolver;
  private final ProxyContext proxy;
  private final BlocklistWatcher watcher;
  /** How often the lists thread looks for a subscription that is due. */
  static final Duration LIST_LOOK = Duration.ofSeconds(30);
  private final Subscriptions subscriptions;
  private final ProxyDns listsDns;
  private final Metrics metrics;
  private final Store store;
  private final AdminService service;
  private final Supervision supervision;
  private final Alerts alerts;
  /** Null when there is no {@code alerts} section. */
  private final AlertSender sender;
  /** Null when {@code listen.admin} is not set: the rules, supervision and store run without it. */
  private final AdminServer admin;
  private final java.util.concurrent.ScheduledExecutorService housekeeping =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schoolgate-housekeeping");
        t.setDaemon(true);
        return t;
      });
  private final HttpsBlockPage blockPage;
  /** Null when {@code listen.dns} is not set. */
  private DnsGuard dns;
  /** Null when there is no {@code identity} section. */
  private final org.schoolgate.identity.Identities identities;
  private final org.schoolgate.identity.RadiusCounters radiusCounters = new org.schoolgate.identity.RadiusCounters();
  private final List<Channel> servers = new ArrayList<>();
  private final Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();

  /** Options tests and benchmarks may change; production uses the defaults. */
  /**
   * @param alertTiming the alert sender's safety re-check of the outbox and the back-off between tries
   * @param mailTls     trusts the mail server's certificate (tests); null for the JDK's trust store
   */
  /** @param dnsDeadline how long the DNS guard's upstreams have to answer in all (SPEC 14: 2 s) */
  public record Options(Clock clock, Duration listPollInterval, ProxyEvents extraEvents, Duration helloTimeout,
                        AlertSender.Timing alertTiming, javax.net.ssl.SSLSocketFactory mailTls, Duration dnsDeadline) {
    /** SPEC 4.5: a TLS connection that sends no ClientHello within 10 s is a circumvention attempt. */
    public static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);

    public Options(Clock clock, Duration listPollInterval, ProxyEvents extraEvents, Duration helloTimeout) {
      this(clock, listPollInterval, extraEvents, helloTimeout, AlertSender.Timing.DEFAULTS, null);
    }

    public Options(Clock clock, Duration listPollInterval, ProxyEvents extraEvents, Duration helloTimeout,
                   AlertSender.Timing alertTiming, javax.net.ssl.SSLSocketFactory mailTls) {
      this(clock, listPollInterval, extraEvents, helloTimeout, alertTiming, mailTls, DnsGuard.DEADLINE);
    }

    public static Options defaults() {
      return new Options(Clock.systemUTC(), Duration.ofSeconds(2), ProxyEvents.NONE, HELLO_TIMEOUT);
    }
  }

  private Schoolgate(Config config, Options options) throws IOException, InterruptedException {
    this.config = config;
    this.blockPage = blockPage(config, options.clock()); // first: a CA that cannot be used leaves nothing open
    // The subscriptions' last good copies are in force from the start; fetching waits for the lists thread.
    this.listsDns = new ProxyDns(config.upstream().connectTimeout());
    Config.Lists lists = config.lists();
    this.subscriptions = new Subscriptions(lists, config.dataDir(), config.timezone(), options.clock(),
        new java.security.SecureRandom(), new Fetcher(listsDns, lists.connectTimeout(), lists.readTimeout(), lists.maxSize()));
    Blocklists.Loaded loaded = Blocklists.load(config.blocklists(), config.referencedCategories().stream()
        .filter(c -> !org.schoolgate.config.ConfigLoader.BUILT_IN_CATEGORIES.contains(c)).toList(), subscriptions.inForce());
    for (String problem : loaded.problems()) {
      log.warn("blocklist line skipped: {}", problem);
    }
    log.info("blocklists loaded: {}", loaded.counts());
    this.engine = new PolicyEngine(new Policy(config.policy(), loaded.lists(), AdminRules.EMPTY), options.clock());
    this.logs = new JsonLogs(config.logDir(), config.logRetentionDays(), config.file().getParent(), config.site());
    Transport transport = Transport.best();
    this.boss = transport.newGroup(1, "schoolgate-accept");
    this.workers = transport.newGroup(Runtime.getRuntime().availableProcessors(), "schoolgate-io");
    HostsFile hosts = config.upstream().hostsFile() == null ? HostsFile.EMPTY : HostsFile.load(config.upstream().hostsFile());
    this.resolver = new Resolver(hosts, transport, config.upstream().connectTimeout(), config.upstream().dnsServers(),
        Duration.ofMinutes(1));
    listsDns.use(resolver, workers);
    SelfAddresses self = new SelfAddresses();
    UpstreamConnector connector = new UpstreamConnector(resolver, self, transport, config.upstream().connectTimeout(),
        config.upstream().refuseLocal());
    this.metrics = new Metrics(engine, radiusCounters);
    metrics.watch(logs);
    ListMetrics.bind(metrics.registry(), subscriptions);
    this.store = Stores.open(config, true);
    logs.tap(new org.schoolgate.review.Counters(store, config.timezone(), org.schoolgate.review.Counters.FLUSH_NANOS));
    this.alerts = config.alerts() == null ? Alerts.OFF : new Alerts(config.alerts(), options.clock(), config.timezone());
    try {
      // A trust's gateway keeps the last policy it had on its own disk, to start on while the database is away.
      Path snapshot = config.store().postgresql() ? config.dataDir().resolve("policy-snapshot.json") : null;
      this.service = new AdminService(store, engine, options.clock(), config.timezone(), record -> {
        logs.audit(record);
        metrics.adminChange(record);
      }, this::closeTunnelsTo, snapshot, alerts);
      this.supervision = new Supervision(service, config.circumvention(), options.clock(), logs::circumvention,
          config.dataDir().resolve("event-queue.jsonl"), alerts, config::staff,
          config.dnsGuardOn());
    } catch (StoreException e) {
      store.close();
      throw new IOException(e.getMessage(), e);
    }
    this.identities = config.identity() == null ? null : new org.schoolgate.identity.Identities(store, engine,
        new org.schoolgate.identity.UserRules(config.identity().users()), config.identity().sessionMax(),
        options.clock(), config.timezone());
    if (identities != null) {
      identities.refresh().join(); // the mappings kept in the store are in force before any listener opens
    }
    org.schoolgate.supervision.ChangeFollower.follow(store, service, supervision, identities);
    this.admin = config.listen().admin() == null ? null
        : new AdminServer(config, store, service, supervision, metrics, options.clock(), subscriptions);
    this.proxy = new ProxyContext(config, engine, connector,
        ProxyEvents.all(logs, metrics, supervision, options.extraEvents()),
        org.schoolgate.net.Neighbours.system(housekeeping), service.names(), options.helloTimeout(), blockPage);
    metrics.watch(proxy);
    try {
      Config.Listen listen = config.listen();
      // The admin listener first: block pages link to the console at its bound address (SPEC section 8).
      if (admin != null) {
        bind("admin", listen.admin(), transport, admin, self);
      }
      String console = consoleUrl(config, addresses.get("admin"));
      proxy.consoleUrl(console);
      alerts.consoleUrl(console);
      bind("proxy", listen.proxy(), transport, new ProxyInitializer(proxy, ListenerKind.PROXY, 80), self);
      bind("intercept_http", listen.interceptHttp(), transport,
          new ProxyInitializer(proxy, ListenerKind.INTERCEPT_HTTP, config.upstream().httpPort()), self);
      bind("intercept_tls", listen.interceptTls(), transport, new TlsInitializer(proxy), self);
      if (listen.dns() != null) {
        dns = DnsGuard.start(config, engine, hosts, new DnsReports(proxy, logs, options.clock(), config.timezone()),
            options.clock(), transport, boss, workers, options.dnsDeadline());
        addresses.put("dns", dns.address());
        metrics.watch(dns.stats());
      }
      if (identities != null) {
        Channel radius = org.schoolgate.identity.RadiusListener.bind(config.identity(), identities, radiusCounters,
            transport, workers);
        servers.add(radius);
        addresses.put("radius", (InetSocketAddress) radius.localAddress());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
    this.sender = config.alerts() == null ? null : new AlertSender(store, alerts, config.alerts(), config.timezone(),
        options.clock(), options.alertTiming(), options.mailTls()).start();
    this.watcher = new BlocklistWatcher(config.blocklists(), engine, options.listPollInterval(), subscriptions::inForce);
    subscriptions.hooks(new ListEvents(watcher::reload, store, record -> {
      logs.audit(record);
      metrics.adminChange(record);
    }, alerts, options.clock(), config.timezone()));
    subscriptions.start(LIST_LOOK);
    Housekeeping.schedule(housekeeping, config, options.clock(), store, supervision, identities);
    log.info("transport {}, {} event loops, direct buffers {}", transport.name(), Runtime.getRuntime().availableProcessors(),
        PlatformDependent.useDirectBufferNoCleaner()
            ? "unzeroed" : "zeroed by the JDK (start with java -jar, or add --add-opens java.base/java.nio=ALL-UNNAMED)");
  }

  /**
   * Where links to the console point: {@code admin.console_url}, else {@code http://} and the admin
   * listener's address; none when that is a wildcard (no one address reaches it) or there is none.
   */
  static String consoleUrl(Config config, InetSocketAddress admin) {
    if (config.admin().consoleUrl() != null) {
      return config.admin().consoleUrl();
    }
    if (admin == null || admin.getAddress().isAnyLocalAddress()) {
      return null;
    }
    String host = admin.getAddress().getHostAddress();
    return (config.admin().tls() != null ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host)
        + ":" + admin.getPort() + "/";
  }

  /**
   * The HTTPS block page when {@code tls_block_page.networks} lists any, with the CA's files
   * (checked already by {@code Main}; a CA that cannot be used stops the start here too). Leaves
   * are dated by the real clock, which devices check them against; the handshake budget runs on
   * the injected one.
   */
  private static HttpsBlockPage blockPage(Config config, Clock clock) throws IOException {
    Config.TlsBlockPage t = config.tlsBlockPage();
    if (!t.on()) {
      return HttpsBlockPage.OFF;
    }
    SchoolCa ca = SchoolCa.load(t.caCert(), t.caKey());
    log.info("HTTPS block page on for {}: {}", t.networks(), ca);
    return HttpsBlockPage.start(t.networks(), new LeafMinter(ca, Clock.systemUTC()), clock);
  }

  /** A new block closes the open tunnels to that domain and its subdomains. */
  private void closeTunnelsTo(String domain) {
    proxy.tunnels().closeIf(host -> host.equals(domain) || host.endsWith("." + domain));
  }

  public static Schoolgate start(Config config, Options options) throws IOException, InterruptedException {
    return new Schoolgate(config, options);
  }

  private void bind(String name, InetSocketAddress address, Transport transport, ChannelHandler initializer,
                    SelfAddresses self) throws IOException, InterruptedException {
    if (address == null) {
      return;
    }
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, UpstreamConnector.WATER_MARK)
        .childOption(ChannelOption.RECVBUF_ALLOCATOR, UpstreamConnector.receiveBuffers())
        .childHandler(initializer);
    var future = b.bind(address).await();
    if (!future.isSuccess()) {
      throw new IOException("cannot listen on " + address.getAddress().getHostAddress() + ":" + address.getPort()
          + " for " + name + ": " + future.cause().getMessage(), future.cause());
    }
    Channel server = future.channel();
    servers.add(server);
    InetSocketAddress bound = (InetSocketAddress) server.localAddress();
    self.add(bound);
    addresses.put(name, bound);
  }

  /** Bound listener addresses by name (proxy, intercept_http, ...), in start order. */
  public Map<String, InetSocketAddress> addresses() {
    return Map.copyOf(addresses);
  }

  public InetSocketAddress address(String listener) {
    return addresses.get(listener);
  }

  public PolicyEngine engine() {
    return engine;
  }

  public ProxyContext proxy() {
    return proxy;
  }

  /** The admin listener's initializer, or null when {@code listen.admin} is not set. */
  public AdminServer admin() {
    return admin;
  }

  /** The admin rules: blocks, reports, overrides, audit. */
  public AdminService service() {
    return service;
  }

  /** Where the durable state lives (for tools and tests that seed it). */
  public Store store() {
    return store;
  }

  /** The alerts sender, or null when there is no {@code alerts} section. */
  public AlertSender alertSender() {
    return sender;
  }

  /** The DNS guard's counts by outcome, or null when {@code listen.dns} is not set. */
  public org.schoolgate.dns.DnsStats dnsStats() {
    return dns == null ? null : dns.stats();
  }

  /** Who is on which address (SPEC 15), or null when there is no {@code identity} section. */
  public org.schoolgate.identity.Identities identities() {
    return identities;
  }

  public Supervision supervision() {
    return supervision;
  }

  /** The list subscriptions (SPEC section 13). */
  public Subscriptions subscriptions() {
    return subscriptions;
  }

  public BlocklistWatcher blocklistWatcher() {
    return watcher;
  }

  public Config config() {
    return config;
  }

  /** The line printed when every listener is ready. */
  public String readyLine() {
    StringBuilder b = new StringBuilder("schoolgate ready:");
    Map<String, InetSocketAddress> inOrder = new java.util.LinkedHashMap<>();
    for (String name : List.of("proxy", "intercept_http", "intercept_tls", "admin", "dns", "radius")) {
      if (addresses.containsKey(name)) {
        inOrder.put(name, addresses.get(name));
      }
    }
    inOrder.forEach((name, a) -> b.append(' ').append(name).append('=')
        .append(a.getAddress() instanceof java.net.Inet6Address ? "[" + a.getAddress().getHostAddress() + "]" : a.getAddress().getHostAddress())
        .append(':').append(a.getPort()));
    return b.toString();
  }

  @Override
  public void close() {
    for (Channel s : servers) {
      s.close().awaitUninterruptibly();
    }
    if (watcher != null) {
      watcher.close();
    }
    if (subscriptions != null) {
      subscriptions.close();
    }
    if (proxy != null) {
      long deadline = System.nanoTime() + DRAIN.toNanos();
      while (proxy.activeExchanges() > 0 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20); // shutdown only: polls the in-flight count, never on an event loop
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      proxy.clients().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    housekeeping.shutdownNow();
    if (dns != null) {
      dns.close();
    }
    if (blockPage != null) {
      blockPage.close();
    }
    if (sender != null) {
      sender.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (supervision != null) {
      supervision.close();
    }
    if (resolver != null) {
      workers.submit(resolver::close).awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    if (logs != null) {
      logs.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (store != null) {
      store.close(); // last: the log writer's final counters go to it as the logs close
    }
  }
}
