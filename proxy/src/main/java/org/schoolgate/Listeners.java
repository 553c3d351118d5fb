package org.schoolgate;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.schoolgate.ca.LeafMinter;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.config.Config;
import org.schoolgate.net.SelfAddresses;
import org.schoolgate.net.Transport;
import org.schoolgate.net.UpstreamConnector;
import org.schoolgate.proxy.HttpsBlockPage;
import org.schoolgate.proxy.ProxyContext;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets of a running schoolgate: each bound on the shared accept and I/O event
 * loops, known by name (proxy, intercept_http, ..., admin, dns, radius) for the ready line, tests
 * and links to the console, and closed first on the way down.
 */
final class Listeners {
  private final Transport transport;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final SelfAddresses self;
  private final List<Channel> servers = new ArrayList<>();
  private final Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();

  Listeners(Transport transport, EventLoopGroup boss, EventLoopGroup workers, SelfAddresses self) {
    this.transport = transport;
    this.boss = boss;
    this.workers = workers;
    this.self = self;
  }

  /** Binds listener {@code name} on {@code address} (nothing when null); its own address is one the proxy never connects to. */
  void bind(String name, InetSocketAddress address, ChannelHandler initializer) throws IOException, InterruptedException {
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

  /** A listener bound elsewhere (RADIUS over UDP): closed with the others. */
  void add(String name, Channel server) {
    servers.add(server);
    addresses.put(name, (InetSocketAddress) server.localAddress());
  }

  /** A listener that closes itself (the DNS guard): only its address is kept. */
  void address(String name, InetSocketAddress address) {
    addresses.put(name, address);
  }

  Map<String, InetSocketAddress> addresses() {
    return Map.copyOf(addresses);
  }

  InetSocketAddress address(String name) {
    return addresses.get(name);
  }

  /** The line printed when every listener is ready. */
  String readyLine() {
    StringBuilder b = new StringBuilder("schoolgate ready:");
    for (String name : List.of("proxy", "intercept_http", "intercept_tls", "admin", "dns", "radius")) {
      InetSocketAddress a = addresses.get(name);
      if (a != null) {
        b.append(' ').append(name).append('=')
            .append(a.getAddress() instanceof java.net.Inet6Address ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress())
            .append(':').append(a.getPort());
      }
    }
    return b.toString();
  }

  /** Stops accepting: every listening socket closed. */
  void close() {
    for (Channel s : servers) {
      s.close().awaitUninterruptibly();
    }
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
  static HttpsBlockPage blockPage(Config config, Clock clock) throws IOException {
    Config.TlsBlockPage t = config.tlsBlockPage();
    if (!t.on()) {
      return HttpsBlockPage.OFF;
    }
    SchoolCa ca = SchoolCa.load(t.caCert(), t.caKey());
    LoggerFactory.getLogger(Schoolgate.class).info("HTTPS block page on for {}: {}", t.networks(), ca);
    try {
      return HttpsBlockPage.start(t, new LeafMinter(ca, Clock.systemUTC()), clock);
    } catch (IllegalStateException noNative) {
      throw new IOException(noNative.getMessage(), noNative);
    }
  }

  /** Lets the HTTP exchanges under way finish, up to {@code within}, then closes the connections left. */
  static void drain(ProxyContext proxy, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
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
}
