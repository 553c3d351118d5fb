package org.schoolgate.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import org.schoolgate.config.Config;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.CircumventionRecord;
import org.schoolgate.log.ProxyEvents;
import org.schoolgate.net.UpstreamConnector;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.PolicyEngine;

/** What every listener shares: the policy, the upstream connector, the event sink, the open tunnels. */
public final class ProxyContext {
  final PolicyEngine engine;
  final UpstreamConnector connector;
  final ProxyEvents events;
  final Config config;
  final ZoneId zone;
  final Duration idleTimeout;
  final Tunnels tunnels = new Tunnels();
  /** HTTP exchanges under way; shutdown waits for this to reach zero. */
  final AtomicInteger activeExchanges = new AtomicInteger();
  /** Every accepted client connection, so shutdown can close what is left. */
  final io.netty.channel.group.ChannelGroup clients =
      new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

  final org.schoolgate.net.Neighbours neighbours;
  /** Names people gave devices, for the log lines (a map read). */
  final org.schoolgate.net.DeviceNames names;
  /** How long a TLS client may take to send its ClientHello (SPEC 4.5: 10 s). */
  final Duration helloTimeout;
  /** The pipeline of every tunnel's upstream channel until it is joined: one initializer, shared. */
  final io.netty.channel.ChannelHandler tunnelUpstream;
  final ProxyStats stats = new ProxyStats();
  /** Connections per client and in all (section limits). */
  final ConnectionLimits connections;
  /** Direct memory held for slow peers. */
  final BufferBudget buffers;
  /** How long a request head may take to arrive, in nanoseconds. */
  final long headTimeoutNanos;
  /** The HTTPS block page for managed devices (SPEC section 9), or {@link HttpsBlockPage#OFF}. */
  final HttpsBlockPage blockPage;

  /** Block-page handshakes admitted and not yet through, across all managed devices (for the metrics). */
  public int blockPageHandshakesUnderWay() {
    return blockPage.handshakesUnderWay();
  }
  private final Pages.Reader pupilReader;
  /** One circumvention attempt per device, host and kind a minute, however many connections. */
  private final Attempts attempts;

  public ProxyContext(Config config, PolicyEngine engine, UpstreamConnector connector, ProxyEvents events,
                      org.schoolgate.net.Neighbours neighbours, Duration helloTimeout, HttpsBlockPage blockPage) {
    this(config, engine, connector, events, neighbours, new org.schoolgate.net.DeviceNames(), helloTimeout, blockPage);
  }

  public ProxyContext(Config config, PolicyEngine engine, UpstreamConnector connector, ProxyEvents events,
                      org.schoolgate.net.Neighbours neighbours, org.schoolgate.net.DeviceNames names, Duration helloTimeout,
                      HttpsBlockPage blockPage) {
    this.names = names;
    this.blockPage = blockPage;
    this.pupilReader = new Pages.Reader(false, null, config.circumvention().supervisionAllow());
    this.neighbours = neighbours;
    this.helloTimeout = helloTimeout;
    this.config = config;
    this.engine = engine;
    this.connector = connector;
    this.events = events;
    this.zone = config.timezone();
    this.idleTimeout = config.upstream().idleTimeout();
    this.tunnelUpstream = Tunnel.upstreamInitializer(this);
    org.schoolgate.config.Config.Limits limits = config.limits();
    this.connections = new ConnectionLimits(limits.connectionsPerClient(),
        ConnectionLimits.totalFor(ConnectionLimits.maxDescriptors()), stats);
    this.buffers = BufferBudget.ofDirectMemory(io.netty.util.internal.PlatformDependent.maxDirectMemory(),
        limits.bufferBudgetPercent(), stats);
    this.headTimeoutNanos = limits.requestHeadTimeout().toNanos();
    this.attempts = new Attempts(engine.clock());
  }

  private volatile String consoleUrl;

  /** Where block pages link to the console (null: no link); set once the admin listener is bound. */
  public void consoleUrl(String url) {
    this.consoleUrl = url;
  }

  /** The reference a block page shows and the access line logs: one per client, host and minute. */
  String ref(java.net.InetAddress client, String host) {
    return Refs.of(client, host, Refs.minute(engine.clock()));
  }

  /**
   * Who reads a block page: staff ({@link Config#staff}) get an "ask for a review" link to the
   * console's report form, filled in with {@code scheme://authority path}; pupils never do, and
   * share one reader (most blocks are pupils', so they build no link).
   */
  Pages.Reader reader(java.net.InetAddress client, String scheme, String authority, String path, Decision d, String ref) {
    if (!config.staff(client, d.group())) {
      return pupilReader;
    }
    String console = consoleUrl;
    String review = null;
    if (console != null && d.category() != null) {
      review = console + "report?url=" + enc(scheme + "://" + authority + path) + "&category=" + enc(d.category())
          + "&ref=" + enc(ref);
    }
    return new Pages.Reader(true, review, config.circumvention().supervisionAllow());
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Marks a client channel with its client's share of the limits. */
  static final io.netty.util.AttributeKey<ConnectionLimits.Client> CLIENT = io.netty.util.AttributeKey.valueOf("schoolgate.client");

  /**
   * Counts a new client connection against the limits; false (and the connection is closed)
   * when it is over one of them. An admitted channel carries its {@link #CLIENT}.
   */
  boolean admit(io.netty.channel.Channel ch, ListenerKind listener) {
    ConnectionLimits.Client client = connections.admit(ch, addressOf(ch.remoteAddress()));
    if (client == null) {
      ch.close();
      return false;
    }
    ch.attr(CLIENT).set(client);
    stats.opened(ch, listener);
    return true;
  }

  public ProxyStats stats() {
    return stats;
  }

  /** Bytes held for slow peers now, and the budget for them. */
  public long bufferedBytes() {
    return buffers.held();
  }

  public long bufferBudget() {
    return buffers.limit();
  }

  /** A new account of the memory {@code client}'s channel holds queued toward its peer. */
  BufferBudget.Account account(io.netty.channel.Channel client) {
    return buffers.new Account(client.attr(CLIENT).get());
  }

  public int activeExchanges() {
    return activeExchanges.get();
  }

  public io.netty.channel.group.ChannelGroup clients() {
    return clients;
  }

  public Tunnels tunnels() {
    return tunnels;
  }

  static InetAddress addressOf(SocketAddress a) {
    return ((InetSocketAddress) a).getAddress();
  }

  /**
   * Carries out a refusal. When the decision is a circumvention attempt its event is recorded
   * first, and {@code refusal} runs (on the channel's event loop) only once the event is
   * written to the events file and committed to the database: an acknowledged refusal always
   * has its event, even after {@code kill -9}. If it cannot be written, the connection is just
   * closed. One device, host and kind make one attempt a minute ({@link Attempts}): a repeat
   * records nothing and is refused (or closed) with the first connection of its minute.
   */
  void refuse(io.netty.channel.Channel ch, Decision d, String host, Runnable refusal) {
    if (d.circumvention() == null) {
      refusal.run();
      return;
    }
    InetAddress client = addressOf(ch.remoteAddress());
    String text = client.getHostAddress();
    Attempts.Attempt attempt = attempts.claim(text, host, d.circumvention().wire());
    if (attempt.repeat()) { // another connection of an attempt this minute: refused with it, no event of its own
      attempt.after(new org.schoolgate.log.Durable(ch.eventLoop(), refusal, ch::close));
      return;
    }
    org.schoolgate.log.Durable durable = new org.schoolgate.log.Durable(ch.eventLoop(), () -> {
      attempt.settle(true);
      refusal.run();
    }, () -> {
      attempt.settle(false);
      ch.close();
    });
    String mac = mac(client, text);
    events.circumvention(new CircumventionRecord(engine.clock().instant(), zone, text, d.group(),
        d.circumvention().wire(), host, d.detail() != null ? d.detail() : d.rule(), mac, names.nameOf(text, mac),
        engine.policy().identities().user(client)), durable);
    durable.written(true);
  }

  /**
   * Records a circumvention attempt seen by another listener than the proxy's (the DNS guard's
   * {@code dns} look-ups), with the device's MAC and name, to the same logs, metrics and store.
   */
  public void attempt(InetAddress client, String group, String kind, String host, String detail) {
    String text = client.getHostAddress();
    String mac = mac(client, text);
    events.circumvention(new CircumventionRecord(engine.clock().instant(), zone, text, group, kind, host, detail, mac,
        names.nameOf(text, mac)));
  }

  /** The device's MAC (or null) and its name (or null), for a log line of another listener. */
  public String[] device(InetAddress client) {
    String text = client.getHostAddress();
    String mac = mac(client, text);
    return new String[] {mac, names.nameOf(text, mac)};
  }

  /** The client's MAC from the neighbour tables (IPv4 and IPv6); {@code text} is its address as written in the log line. */
  String mac(InetAddress client, String text) {
    return neighbours.macOf(text);
  }

  void access(AccessRecord record) {
    events.access(record);
  }
}
