package org.schoolgate.proxy;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import org.schoolgate.ca.LeafMinter;

/**
 * The server-side TLS contexts of the HTTPS block page, one per blocked name, in a bounded
 * Caffeine cache. A miss signs a leaf and builds its context on {@code signer}, never on an event
 * loop: measured here (LeafMintBench), signing takes about a millisecond of CPU and building a
 * context several more, which an event loop serving other connections must not spend. A hit is
 * a completed future. An entry lives a day, so no leaf served is within six days of its end.
 * The contexts are BoringSSL's or the JDK's ({@link BlockPageProvider}); the name a leaf is for is
 * the one our own ClientHello parse read (normalised), never the TLS library's.
 */
public final class BlockPageCerts {
  /** How many names' contexts are kept. A JDK context with its session cache is some kilobytes. */
  static final int MAX_NAMES = 2_000;
  static final Duration KEEP = Duration.ofDays(1);

  private final LeafMinter minter;
  private final Executor signer;
  private final SslProvider provider;
  /** The cache's own upkeep runs on the calling thread (it is bookkeeping, and a full signer queue must not refuse it). */
  private final AsyncCache<String, SslContext> contexts = Caffeine.newBuilder().maximumSize(MAX_NAMES)
      .expireAfterWrite(KEEP).executor(Runnable::run).buildAsync();

  BlockPageCerts(LeafMinter minter, Executor signer, SslProvider provider) {
    this.minter = minter;
    this.signer = signer;
    this.provider = provider;
  }

  /**
   * The context for {@code host} (a normalised name or an IP literal): at once when cached, else
   * once signed. A failed signing is not kept. Throws RejectedExecutionException when the signer's
   * queue is full.
   */
  CompletableFuture<SslContext> contextFor(String host) {
    return contexts.get(host, (name, upkeep) -> CompletableFuture.supplyAsync(() -> {
      try {
        return serverContext(minter.leafKey(), minter.mint(name), provider);
      } catch (SSLException e) {
        throw new IllegalStateException("building the block page's TLS context failed", e);
      }
    }, signer));
  }

  /**
   * A server context for one leaf: TLS 1.3 and 1.2, ALPN {@code http/1.1} only (the block page is
   * served over HTTP/1.1; a browser that offers h2 too is told http/1.1). The key reaches the JDK
   * through a key manager of our own, not a key store: putting a key in a PKCS#12 store encrypts it
   * with thousands of PBKDF2 rounds, most of the cost of a context made Netty's default way.
   */
  public static SslContext serverContext(PrivateKey key, X509Certificate leaf) throws SSLException {
    return serverContext(key, leaf, SslProvider.JDK);
  }

  /**
   * As {@link #serverContext(PrivateKey, X509Certificate)}, with {@code provider}'s TLS. BoringSSL's
   * (OPENSSL) gets the leaf through a caching key manager factory: the key and chain are made
   * native once for the context, not per handshake as a plain key manager would have them; its key
   * shares are X25519, then P-256; its session cache and tickets (keys made by BoringSSL, turned by
   * it) let a device resume. The JDK's resumes by its own session cache and tickets.
   */
  static SslContext serverContext(PrivateKey key, X509Certificate leaf, SslProvider provider) throws SSLException {
    OneLeaf one = new OneLeaf(key, leaf);
    SslContextBuilder b = provider == SslProvider.JDK ? SslContextBuilder.forServer(one)
        : SslContextBuilder.forServer(new OpenSslCachingX509KeyManagerFactory(new KeyManagerFactoryWrapper(one)))
            .option(OpenSslContextOption.GROUPS, new String[] {"x25519", "secp256r1"});
    return b.sslProvider(provider)
        .protocols("TLSv1.3", "TLSv1.2")
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_1_1))
        .build();
  }

  /** A key manager holding one EC leaf and its key, offered for EC server authentication only. */
  private static final class OneLeaf extends X509ExtendedKeyManager {
    private static final String ALIAS = "leaf";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    OneLeaf(PrivateKey key, X509Certificate leaf) {
      this.key = key;
      this.chain = new X509Certificate[] {leaf};
    }

    private static boolean ec(String keyType) {
      return keyType != null && (keyType.equals("EC") || keyType.startsWith("EC_"));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return ec(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return ec(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return ec(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
