package org.schoolgate.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many connections one client address, and all clients together, may have open on the
 * proxy listeners. The total leaves a reserve of file descriptors below the process limit
 * (each client connection may need an upstream one too), so an address that opens thousands
 * of connections cannot stop the admin listener, {@code /healthz} or other pupils from being
 * served: its connections past the limit are accepted and closed at once.
 */
final class ConnectionLimits {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimits.class);
  /** Descriptors kept for the admin listener, the database, logs, lists and the JVM itself. */
  static final int RESERVE = 256;
  /** When the proxy is over three quarters full, a client with this many connections gets no more. */
  static final int FAIR_SHARE = 32;

  private final int perClient;
  private final int total;
  private final ConcurrentHashMap<InetAddress, Client> open = new ConcurrentHashMap<>();
  private final AtomicInteger all = new AtomicInteger();
  /** One warning per client a minute, however many connections it opens. */
  private final Cache<InetAddress, Boolean> warned = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(10_000).build();

  /**
   * One client address while it has connections open: how many, and the memory they hold
   * ({@link BufferBudget}). Forgotten when its last connection closes.
   */
  static final class Client {
    final InetAddress address;
    final AtomicInteger connections = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong buffered = new java.util.concurrent.atomic.AtomicLong();

    Client(InetAddress address) {
      this.address = address;
    }
  }

  private final ProxyStats stats;

  ConnectionLimits(int perClient, int total, ProxyStats stats) {
    this.stats = stats;
    this.perClient = perClient;
    this.total = total;
  }

  /** The total for a process allowed {@code maxDescriptors} open files: two per client connection, less the reserve. */
  static int totalFor(long maxDescriptors) {
    return (int) Math.max(64, Math.min(Integer.MAX_VALUE, (maxDescriptors - RESERVE) / 2));
  }

  /** The process's open-file limit, or a large number where the JVM cannot say. */
  static long maxDescriptors() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return 1L << 20;
  }

  /**
   * Counts a new connection and returns its client, or null when it is refused. An admitted
   * connection is uncounted when it closes.
   */
  Client admit(Channel ch, InetAddress address) {
    if (all.incrementAndGet() > total) {
      all.decrementAndGet();
      warn(address, "the proxy has " + total + " connections open, its limit");
      stats.refused(ProxyStats.Limit.CONNECTIONS_TOTAL);
      return null;
    }
    int[] count = new int[1];
    Client client = open.compute(address, (k, v) -> {
      Client c = v == null ? new Client(k) : v;
      count[0] = c.connections.incrementAndGet(); // this admit's own count, not a racing one's
      return c;
    });
    int mine = count[0];
    if (mine > perClient) {
      release(address);
      warn(address, "it has " + perClient + " connections open, the limit for one client (limits.connections_per_client)");
      stats.refused(ProxyStats.Limit.CONNECTIONS_PER_CLIENT);
      return null;
    }
    if (mine > FAIR_SHARE && all.get() > total / 4 * 3) {
      // Crowded (many clients near their own limit together): a client that already has its fair
      // share waits, so that the devices with a few connections each can still get theirs.
      release(address);
      warn(address, "the proxy is over three quarters full and it already has " + FAIR_SHARE + " connections");
      stats.refused(ProxyStats.Limit.CONNECTIONS_FAIR_SHARE);
      return null;
    }
    ch.closeFuture().addListener(f -> release(address));
    return client;
  }

  private void release(InetAddress address) {
    all.decrementAndGet();
    open.computeIfPresent(address, (k, v) -> v.connections.decrementAndGet() <= 0 ? null : v);
  }

  private void warn(InetAddress client, String why) {
    if (warned.asMap().putIfAbsent(client, Boolean.TRUE) == null) {
      log.warn("refusing connections from {}: {} (said once a minute per client)", client.getHostAddress(), why);
    }
  }
}
