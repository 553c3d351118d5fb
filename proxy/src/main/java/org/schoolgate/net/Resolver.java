package org.schoolgate.net;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.channel.EventLoop;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves upstream host names without ever blocking an event loop: the hosts file first, then
 * a Caffeine cache with a TTL, then Netty's asynchronous DNS client (one per event loop, so its
 * answers arrive on the loop that asked).
 */
public final class Resolver implements AutoCloseable {
  private final HostsFile hosts;
  private final Transport transport;
  private final Duration queryTimeout;
  private final DnsServerAddressStreamProvider servers;
  private final Cache<String, InetAddress> cache;
  private final Map<EventLoop, DnsNameResolver> perLoop = new ConcurrentHashMap<>();

  public Resolver(HostsFile hosts, Transport transport, Duration queryTimeout, List<InetSocketAddress> dnsServers,
                  Duration cacheTtl) {
    this.hosts = hosts;
    this.transport = transport;
    this.queryTimeout = queryTimeout;
    this.servers = dnsServers.isEmpty()
        ? DnsServerAddressStreamProviders.platformDefault()
        : new SequentialDnsServerAddressStreamProvider(dnsServers.toArray(new InetSocketAddress[0]));
    this.cache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(50_000).build();
  }

  /** Resolves on {@code loop}; the future completes on that loop. */
  public Future<InetAddress> resolve(String host, EventLoop loop) {
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
    if (literal != null) {
      try {
        return loop.newSucceededFuture(InetAddress.getByAddress(host, literal));
      } catch (UnknownHostException e) {
        return loop.newFailedFuture(e);
      }
    }
    InetAddress fixed = hosts.get(host);
    if (fixed == null) {
      fixed = cache.getIfPresent(host);
    }
    if (fixed != null) {
      return loop.newSucceededFuture(fixed);
    }
    Promise<InetAddress> promise = loop.newPromise();
    perLoop.computeIfAbsent(loop, this::newDnsResolver).resolve(host).addListener(f -> {
      if (f.isSuccess()) {
        InetAddress address = (InetAddress) f.getNow();
        cache.put(host, address);
        promise.trySuccess(address);
      } else {
        Throwable cause = f.cause();
        if (!(cause instanceof UnknownHostException)) {
          UnknownHostException unknown = new UnknownHostException(host + ": " + cause.getMessage());
          unknown.initCause(cause);
          cause = unknown;
        }
        promise.tryFailure(cause);
      }
    });
    return promise;
  }

  private DnsNameResolver newDnsResolver(EventLoop loop) {
    return new DnsNameResolverBuilder(loop)
        .datagramChannelType(transport.datagramChannel())
        .nameServerProvider(servers)
        .queryTimeoutMillis(queryTimeout.toMillis())
        .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
        // The hosts file is ours (upstream.hosts_file); the machine's /etc/hosts is not the school's DNS.
        .hostsFileEntriesResolver(HostsFileEntriesResolver.DEFAULT)
        .build();
  }

  @Override
  public void close() {
    perLoop.values().forEach(DnsNameResolver::close);
  }
}
