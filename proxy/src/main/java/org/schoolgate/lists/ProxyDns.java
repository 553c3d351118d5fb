package org.schoolgate.lists;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Dns;
import org.schoolgate.net.Resolver;

/**
 * Names for the list fetcher, resolved as the proxy resolves them (the hosts file first, then
 * DNS). The lookup runs on an event loop, as the resolver requires; the fetcher's own thread
 * waits for the answer, so no event loop ever waits for a fetch.
 */
public final class ProxyDns implements Dns {
  private final Duration timeout;
  private volatile Resolver resolver;
  private volatile EventLoopGroup loops;

  public ProxyDns(Duration timeout) {
    this.timeout = timeout;
  }

  /** Attaches the proxy's resolver once it exists (the server creates it after the lists are loaded). */
  public void use(Resolver r, EventLoopGroup group) {
    this.resolver = r;
    this.loops = group;
  }

  @Override
  public List<InetAddress> lookup(String host) throws UnknownHostException {
    Resolver r = resolver;
    if (r == null) {
      throw new UnknownHostException(host + ": the resolver is not ready yet");
    }
    EventLoop loop = loops.next();
    try {
      InetAddress a = loop.submit(() -> r.resolve(host, loop)).get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return List.of(a);
    } catch (ExecutionException e) {
      UnknownHostException u = new UnknownHostException(host + ": " + e.getCause().getMessage());
      u.initCause(e.getCause());
      throw u;
    } catch (TimeoutException e) {
      throw new UnknownHostException(host + ": no answer from DNS within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnknownHostException(host + ": interrupted");
    }
  }
}
