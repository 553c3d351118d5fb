package org.schoolgate;

import io.netty.channel.EventLoopGroup;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.schoolgate.alert.AlertSender;
import org.schoolgate.alert.Alerts;
import org.schoolgate.blocklist.BlocklistWatcher;
import org.schoolgate.config.Config;
import org.schoolgate.dns.DnsGuard;
import org.schoolgate.dns.DnsReports;
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
  private final Subscriptions subscriptions;
  private final ProxyDns listsDns;
  private final Metrics metrics;
  /** The store, the rules, supervision, alerts, identities and the admin listener's initializer. */
  private final AdminSide side;
  /** Null when there is no {@code alerts} section. */
  private final AlertSender sender;
  private final java.util.concurrent.ScheduledExecutorService housekeeping = Housekeeping.thread();
  private final HttpsBlockPage blockPage;
  /** Null when {@code listen.dns} is not set. */
  private DnsGuard dns;
  private final org.schoolgate.identity.RadiusCounters radiusCounters = new org.schoolgate.identity.RadiusCounters();
  private final Listeners listeners;

  /**
   * Options tests and benchmarks may change; production uses the defaults.
   *
   * @param alertTiming the alert sender's safety re-check of the outbox and the back-off between tries
   * @param mailTls     trusts the mail server's certificate (tests); null for the JDK's trust store
   * @param dnsDeadline how long the DNS guard's upstreams have to answer in all (SPEC 14: 2 s)
   */
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
    this.blockPage = Listeners.blockPage(config, options.clock()); // first: a CA that cannot be used leaves nothing open
    // The subscriptions' last good copies are in force from the start; fetching waits for the lists thread.
    this.listsDns = new ProxyDns(config.upstream().connectTimeout());
    this.subscriptions = ListsWiring.subscriptions(config, options.clock(), listsDns);
    this.engine = new PolicyEngine(new Policy(config.policy(), ListsWiring.load(config, subscriptions), AdminRules.EMPTY),
        options.clock());
    this.logs = new JsonLogs(config.logDir(), config.logRetentionDays(), config.file().getParent(), config.site());
    Transport transport = Transport.best();
    this.boss = transport.newGroup(1, "schoolgate-accept");
    this.workers = transport.newGroup(Runtime.getRuntime().availableProcessors(), "schoolgate-io");
    HostsFile hosts = config.upstream().hostsFile() == null ? HostsFile.EMPTY : HostsFile.load(config.upstream().hostsFile());
    this.resolver = new Resolver(hosts, transport, config.upstream().connectTimeout(), config.upstream().dnsServers(),
        Duration.ofMinutes(1));
    listsDns.use(resolver, workers);
    SelfAddresses self = new SelfAddresses();
    this.listeners = new Listeners(transport, boss, workers, self);
    UpstreamConnector connector = new UpstreamConnector(resolver, self, transport, config.upstream().connectTimeout(),
        config.upstream().refuseLocal());
    this.metrics = new Metrics(engine, radiusCounters);
    metrics.watch(logs);
    ListMetrics.bind(metrics.registry(), subscriptions);
    this.side = AdminSide.open(config, options, engine, logs, metrics, this::closeTunnelsTo, subscriptions);
    Store store = side.store();
    Alerts alerts = side.alerts();
    Supervision supervision = side.supervision();
    org.schoolgate.identity.Identities identities = side.identities();
    this.proxy = new ProxyContext(config, engine, connector,
        ProxyEvents.all(logs, metrics, supervision, options.extraEvents()),
        org.schoolgate.net.Neighbours.system(housekeeping), side.service().names(), options.helloTimeout(), blockPage);
    metrics.watch(proxy);
    try {
      Config.Listen listen = config.listen();
      // The admin listener first: block pages link to the console at its bound address (SPEC section 8).
      if (side.admin() != null) {
        listeners.bind("admin", listen.admin(), side.admin());
      }
      String console = Listeners.consoleUrl(config, listeners.address("admin"));
      proxy.consoleUrl(console);
      alerts.consoleUrl(console);
      listeners.bind("proxy", listen.proxy(), new ProxyInitializer(proxy, ListenerKind.PROXY, 80));
      listeners.bind("intercept_http", listen.interceptHttp(),
          new ProxyInitializer(proxy, ListenerKind.INTERCEPT_HTTP, config.upstream().httpPort()));
      listeners.bind("intercept_tls", listen.interceptTls(), new TlsInitializer(proxy));
      if (listen.dns() != null) {
        dns = DnsGuard.start(config, engine, hosts, new DnsReports(proxy, logs, options.clock(), config.timezone()),
            options.clock(), transport, boss, workers, options.dnsDeadline());
        listeners.address("dns", dns.address());
        metrics.watch(dns.stats());
      }
      if (identities != null) {
        listeners.add("radius", org.schoolgate.identity.RadiusListener.bind(config.identity(), identities, radiusCounters,
            transport, workers));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
    this.sender = config.alerts() == null ? null : new AlertSender(store, alerts, config.alerts(), config.timezone(),
        options.clock(), options.alertTiming(), options.mailTls()).start();
    this.watcher = ListsWiring.start(config, options, subscriptions, engine, store, AdminSide.audit(logs, metrics),
        alerts);
    Housekeeping.schedule(housekeeping, config, options.clock(), store, supervision, identities);
    log.info("transport {}, {} event loops, direct buffers {}", transport.name(), Runtime.getRuntime().availableProcessors(),
        PlatformDependent.useDirectBufferNoCleaner()
            ? "unzeroed" : "zeroed by the JDK (start with java -jar, or add --add-opens java.base/java.nio=ALL-UNNAMED)");
  }

  /** A new block closes the open tunnels to that domain and its subdomains. */
  private void closeTunnelsTo(String domain) {
    proxy.tunnels().closeIf(host -> host.equals(domain) || host.endsWith("." + domain));
  }

  public static Schoolgate start(Config config, Options options) throws IOException, InterruptedException {
    return new Schoolgate(config, options);
  }

  /** Bound listener addresses by name (proxy, intercept_http, ...), in start order. */
  public Map<String, InetSocketAddress> addresses() {
    return listeners.addresses();
  }

  public InetSocketAddress address(String listener) {
    return listeners.address(listener);
  }

  public PolicyEngine engine() {
    return engine;
  }

  public ProxyContext proxy() {
    return proxy;
  }

  /** The admin listener's initializer, or null when {@code listen.admin} is not set. */
  public AdminServer admin() {
    return side.admin();
  }

  /** The admin rules: blocks, reports, overrides, audit. */
  public AdminService service() {
    return side.service();
  }

  /** Where the durable state lives (for tools and tests that seed it). */
  public Store store() {
    return side.store();
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
    return side.identities();
  }

  public Supervision supervision() {
    return side.supervision();
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
    return listeners.readyLine();
  }

  @Override
  public void close() {
    if (listeners != null) {
      listeners.close();
    }
    if (watcher != null) {
      watcher.close();
    }
    if (subscriptions != null) {
      subscriptions.close();
    }
    if (proxy != null) {
      Listeners.drain(proxy, DRAIN);
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
    if (side != null && side.admin() != null) {
      side.admin().close();
    }
    if (side != null) {
      side.supervision().close();
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
    if (side != null) {
      side.store().close(); // last: the log writer's final counters go to it as the logs close
    }
  }
}
