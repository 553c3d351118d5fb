package org.schoolgate.web;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.schoolgate.ca.LeafMinter;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.config.Config;
import org.schoolgate.proxy.BlockPageCerts;

/**
 * {@code admin.tls} (issue 21): the admin listener serves HTTPS with the configured certificate and
 * key, or ({@code from_ca: true}) with a leaf the school CA signs at start for the console's names
 * ({@code admin.hostnames}, the host of {@code console_url}, the listen address). A minted leaf
 * lasts seven days, so it is signed again, off the event loops, once it is a day old. Every
 * response then carries HSTS ({@link #HSTS}), and the session cookie is {@code Secure}.
 */
final class AdminTls {
  /** A year, this host only: the console is never to be reached over plain HTTP again. */
  static final String HSTS = "max-age=31536000";
  private static final Duration RENEW = Duration.ofDays(1);

  private final AtomicReference<SslContext> context = new AtomicReference<>();
  private final LeafMinter minter;
  private final List<String> names;
  private final Clock clock;
  private final Executor workers;
  private final AtomicBoolean renewing = new AtomicBoolean();
  private volatile Instant minted;

  private AdminTls(SslContext fixed, LeafMinter minter, List<String> names, Clock clock, Executor workers) {
    this.context.set(fixed);
    this.minter = minter;
    this.names = names;
    this.clock = clock;
    this.workers = workers;
  }

  /** The TLS of {@code config.admin().tls()}, or null when it is not set; a sentence when it cannot be used. */
  static AdminTls of(Config config, Executor workers) throws IOException {
    Config.AdminTls t = config.admin().tls();
    if (t == null) {
      return null;
    }
    if (!t.fromCa()) {
      try {
        // the JDK's TLS, as before netty-tcnative was on the class path (Netty's default would now be BoringSSL)
        return new AdminTls(SslContextBuilder.forServer(t.cert().toFile(), t.key().toFile())
            .sslProvider(io.netty.handler.ssl.SslProvider.JDK)
            .protocols("TLSv1.3", "TLSv1.2").build(), null, List.of(), Clock.systemUTC(), workers);
      } catch (IOException | RuntimeException e) {
        throw new IOException("admin.tls: the certificate " + t.cert() + " and key " + t.key()
            + " cannot be used (PEM files, the key in PKCS#8): " + e.getMessage(), e);
      }
    }
    Config.TlsBlockPage ca = config.tlsBlockPage();
    SchoolCa school;
    try {
      school = SchoolCa.load(ca.caCert(), ca.caKey());
    } catch (SchoolCa.Unusable e) {
      throw new IOException("admin.tls.from_ca: the school CA cannot be used (run `schoolgate ca init` first): "
          + e.getMessage(), e);
    }
    AdminTls tls = new AdminTls(null, new LeafMinter(school, Clock.systemUTC()), names(config), Clock.systemUTC(), workers);
    tls.mint();
    return tls;
  }

  /** The names a minted leaf is for: admin.hostnames, console_url's host, the listen address (unless a wildcard). */
  static List<String> names(Config config) {
    LinkedHashSet<String> all = new LinkedHashSet<>(RequestChecks.names(config.admin().hostnames(),
        config.admin().consoleUrl()));
    InetSocketAddress listen = config.listen().admin();
    if (listen != null && !listen.getAddress().isAnyLocalAddress()) {
      all.add(listen.getAddress().getHostAddress());
    }
    if (all.isEmpty()) {
      all.add("localhost");
    }
    return new ArrayList<>(all);
  }

  private void mint() throws IOException {
    context.set(BlockPageCerts.serverContext(minter.leafKey(), minter.mint(names)));
    minted = clock.instant();
  }

  /** The TLS handler for a new connection; a minted leaf a day old is signed again on the workers meanwhile. */
  ChannelHandler newHandler(io.netty.buffer.ByteBufAllocator alloc) {
    if (minter != null && clock.instant().isAfter(minted.plus(RENEW)) && renewing.compareAndSet(false, true)) {
      workers.execute(() -> {
        try {
          mint();
        } catch (IOException | RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(AdminTls.class).warn("admin.tls: signing a new leaf failed: {}", e.toString());
        } finally {
          renewing.set(false);
        }
      });
    }
    return context.get().newHandler(alloc);
  }

  /** Adds {@code Strict-Transport-Security} to every response of the admin listener. */
  @ChannelHandler.Sharable
  static final class Hsts extends ChannelOutboundHandlerAdapter {
    static final Hsts INSTANCE = new Hsts();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse r) {
        r.headers().set("Strict-Transport-Security", HSTS);
      }
      ctx.write(msg, promise);
    }
  }
}
