package org.schoolgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.schoolgate.ca.LeafMinter;
import org.schoolgate.config.Config;
import org.schoolgate.values.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.schoolgate.values.Threads;

/**
 * The HTTPS block page for managed devices (SPEC section 9). For a client in {@code networks}
 * (devices that trust the school's CA), a blocked TLS connection is completed instead of closed:
 * the ClientHello the peek held goes, unchanged, into a server {@link SslHandler} whose leaf names
 * the blocked site, and every request on it gets the block page ({@link BlockPageServer}). Only
 * blocked connections come here; allowed ones never do. At most {@link HandshakeBudget#PER_SECOND}
 * a second per client; signing happens off the event loop ({@link BlockPageCerts}).
 *
 * <pre>  idle -> peek   becomes   idle -> tls (SslHandler) -> http (server codec) -> block-page</pre>
 */
public final class HttpsBlockPage implements AutoCloseable {
  /** Leaves waiting to be signed, in all: past this a blocked connection is closed as before. */
  static final int SIGNER_QUEUE = 256;
  private static final int HTTPS_PORT = 443;
  /** Off: no network is listed, every blocked connection is closed as before. */
  public static final HttpsBlockPage OFF = new HttpsBlockPage(List.of(), null, null, null, SslProvider.JDK,
      HandshakeBudget.ALL_PER_SECOND);

  private static final Logger log = LoggerFactory.getLogger(HttpsBlockPage.class);
  private static final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(2));

  private final List<Cidr> networks;
  private final HandshakeBudget budget;
  private final BlockPageCerts certs;
  private final ExecutorService ownSigner;

  HttpsBlockPage(List<Cidr> networks, LeafMinter minter, InstantSource clock, Executor signer, SslProvider provider,
                 int handshakesPerSecond) {
    this.networks = List.copyOf(networks);
    this.budget = clock == null ? null : new HandshakeBudget(clock, handshakesPerSecond);
    this.certs = minter == null ? null : new BlockPageCerts(minter, signer, provider);
    this.ownSigner = signer instanceof ExecutorService s ? s : null;
  }

  /**
   * The block page for clients in {@code networks}, its leaves signed by {@code minter} on a
   * thread of its own; {@code clock} meters the handshake budget (the process's injected clock);
   * {@code t.provider()} whose TLS ({@link BlockPageProvider}: throws IllegalStateException when
   * openssl is insisted on and cannot load), {@code t.handshakesPerSecond()} the overall budget.
   */
  public static HttpsBlockPage start(Config.TlsBlockPage t, LeafMinter minter, InstantSource clock) {
    List<Cidr> networks = t.networks();
    Config.TlsProvider provider = t.provider();
    if (networks.isEmpty()) {
      return OFF;
    }
    SslProvider tls = BlockPageProvider.choose(provider);
    log.info("the HTTPS block page's TLS: {}", BlockPageProvider.describe(tls));
    ThreadPoolExecutor signer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(SIGNER_QUEUE), Threads.daemon("schoolgate-signer"));
    return new HttpsBlockPage(networks, minter, clock, signer, tls, t.handshakesPerSecond());
  }

  /** Whether {@code client} is a managed device, whose blocked TLS connections get the page. */
  boolean covers(InetAddress client) {
    for (Cidr c : networks) {
      if (c.contains(client)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A handshake left in a managed device's budget this second and in the overall budget (the
   * tokens are spent; the place among handshakes under way is given back when the handshake is
   * through or {@code ch} closes); else counted and false.
   */
  boolean admit(Channel ch, InetAddress client, ProxyStats stats) {
    switch (budget.admit(client)) {
      case OVER_RATE -> {
        stats.blockPage(ProxyStats.BlockPage.OVER_RATE);
        return false;
      }
      case OVER_BUDGET -> {
        stats.blockPage(ProxyStats.BlockPage.OVER_BUDGET);
        return false;
      }
      default -> {
        stats.blockPage(ProxyStats.BlockPage.ADMITTED);
        java.util.concurrent.atomic.AtomicBoolean place = new java.util.concurrent.atomic.AtomicBoolean(true);
        ch.attr(PLACE).set(place);
        ch.closeFuture().addListener(f -> giveBack(place));
        return true;
      }
    }
  }

  /** Block-page handshakes admitted and not yet through (0 when off). */
  public int handshakesUnderWay() {
    return budget == null ? 0 : budget.inFlight();
  }

  private static final io.netty.util.AttributeKey<java.util.concurrent.atomic.AtomicBoolean> PLACE =
      io.netty.util.AttributeKey.valueOf("schoolgate.block-page-place");

  private void giveBack(java.util.concurrent.atomic.AtomicBoolean place) {
    if (place != null && place.compareAndSet(true, false)) {
      budget.done();
    }
  }

  /**
   * Completes the TLS of {@code ch} with a leaf for {@code name}, in place of {@code replaced}
   * (a peek that has let go of {@code hello}, the ClientHello it held, which is now ours). When
   * the leaf is ready, on the channel's event loop: the TLS handler, the HTTP codec and the page
   * go in, and the hello is read again, into the TLS handler. If the leaf cannot be had (the
   * signer is full, or failed), the connection is closed as a refusal without the page would be.
   */
  void serve(ProxyContext px, Channel ch, ChannelHandler replaced, ByteBuf hello, String name, BlockPageServer.Page page) {
    ch.config().setAutoRead(false); // nothing more is read until the TLS handler is there to read it
    CompletableFuture<SslContext> context;
    try {
      context = certs.contextFor(name);
    } catch (RejectedExecutionException busy) {
      context = CompletableFuture.failedFuture(busy);
    }
    context.whenComplete((ssl, failed) -> {
      if (failed != null && !(failed instanceof RejectedExecutionException)) {
        logAtMostOnceAMinute(failed);
      }
      if (ch.eventLoop().inEventLoop()) {
        install(px, ch, replaced, hello, ssl, name, page);
      } else {
        try {
          ch.eventLoop().execute(() -> install(px, ch, replaced, hello, ssl, name, page));
        } catch (RejectedExecutionException stopping) {
          hello.release(); // the event loop has stopped: so has its connection
        }
      }
    });
  }

  /** A leaf that could not be signed is a bug or a broken CA, worth a line; a flood of them is worth one a minute. */
  private static void logAtMostOnceAMinute(Throwable failed) {
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (now - last > TimeUnit.MINUTES.toNanos(1) && lastLogged.compareAndSet(last, now)) {
      Throwable cause = failed instanceof java.util.concurrent.CompletionException && failed.getCause() != null
          ? failed.getCause() : failed;
      log.warn("the HTTPS block page could not get a certificate (at most one such line a minute): {}", cause.toString());
    }
  }

  private void install(ProxyContext px, Channel ch, ChannelHandler replaced, ByteBuf hello, SslContext ssl, String name,
                       BlockPageServer.Page page) {
    ChannelPipeline p = ch.pipeline();
    if (ssl == null || !ch.isActive() || p.context(replaced) == null) {
      hello.release();
      if (ssl == null) {
        px.stats.blockPage(ProxyStats.BlockPage.NO_LEAF);
      }
      ch.close();
      return;
    }
    SslHandler tls = ssl.newHandler(ch.alloc(), name, HTTPS_PORT); // the name is how the context's key manager picks the leaf
    tls.handshakeFuture().addListener(f -> giveBack(ch.attr(PLACE).get()));
    p.replace(replaced, "tls", tls);
    p.addAfter("tls", ProxyInitializer.HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(ProxyInitializer.MAX_LINE).setMaxHeaderSize(ProxyInitializer.MAX_HEADERS)));
    p.addAfter(ProxyInitializer.HTTP_CODEC, "block-page", new BlockPageServer(page, px.stats));
    p.fireChannelRead(hello); // from the head: through the idle timer, into the TLS handler
    p.fireChannelReadComplete(); // which flushes its ServerHello then
    ch.config().setAutoRead(true);
  }

  @Override
  public void close() {
    if (ownSigner != null) {
      ownSigner.shutdownNow();
    }
  }
}
