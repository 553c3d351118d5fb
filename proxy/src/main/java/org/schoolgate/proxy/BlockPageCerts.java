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
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import org.schoolgate.ca.LeafMinter;

/**
 * The HTTPS block page's TLS: one server context for every blocked name, its key manager choosing
 * the leaf by the name our own ClientHello parse read (normalised, never the TLS library's; the
 * engine is made with that name as its peer host), the leaves in a bounded Caffeine cache. A miss
 * signs a leaf on {@code signer}, never on an event loop (about a millisecond of CPU, LeafMintBench);
 * a hit is a completed future. An entry lives a day, so no leaf served is within six days of its
 * end. One context, not one per name: building a BoringSSL context (an {@code SSL_CTX}, its cipher
 * and group lists) and making its key native cost ~20 ms of CPU per new name (issue 27), against
 * the leaf's signature alone now. BoringSSL's native copies of the chains are cached by alias
 * ({@link OpenSslCachingX509KeyManagerFactory}, up to {@value #NATIVE_CACHED}); an alias is the name and the leaf's own number,
 * so a leaf signed again is never served from an older one's copy.
 */
public final class BlockPageCerts {
  /** How many names' leaves are kept. */
  static final int MAX_NAMES = 2_000;
  /** How many leaves' native chains BoringSSL's key manager keeps (past that it drops stale ones; a few MB at most). */
  static final int NATIVE_CACHED = 2 * MAX_NAMES;
  static final Duration KEEP = Duration.ofDays(1);

  private final LeafMinter minter;
  private final Executor signer;
  private final SslContext context;
  private final AtomicLong serial = new AtomicLong();
  /** The cache's own upkeep runs on the calling thread (it is bookkeeping, and a full signer queue must not refuse it). */
  private final AsyncCache<String, Leaf> leaves = Caffeine.newBuilder().maximumSize(MAX_NAMES)
      .expireAfterWrite(KEEP).executor(Runnable::run).buildAsync();

  /** Builds the one context ({@code provider}'s TLS); throws IllegalStateException if it cannot be built. */
  BlockPageCerts(LeafMinter minter, Executor signer, SslProvider provider) {
    this.minter = minter;
    this.signer = signer;
    try {
      this.context = build(new ByName(minter.leafKey(), this::ready), provider, NATIVE_CACHED);
    } catch (SSLException e) {
      throw new IllegalStateException("building the block page's TLS context failed: " + e.getMessage(), e);
    }
  }

  /**
   * The context to serve {@code host} (a normalised name or an IP literal) with, once its leaf is
   * signed: at once when cached. Its handler must be made with {@code host} as the peer host
   * ({@code context.newHandler(alloc, host, port)}). A failed signing is not kept. Throws
   * RejectedExecutionException when the signer's queue is full.
   */
  CompletableFuture<SslContext> contextFor(String host) {
    return leaves.get(host, (name, upkeep) -> CompletableFuture.supplyAsync(
        () -> new Leaf(name + ALIAS_MARK + serial.incrementAndGet(), minter.mint(name)), signer))
        .thenApply(leaf -> context);
  }

  /** The leaf for {@code host} when it is signed and kept, else null (never waits). */
  private Leaf ready(String host) {
    CompletableFuture<Leaf> f = host == null ? null : leaves.getIfPresent(host);
    return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
  }

  private static final char ALIAS_MARK = '#';

  /** One name's leaf, and the alias the key manager knows it by. */
  record Leaf(String alias, X509Certificate cert) {}

  /**
   * A server context for one leaf: TLS 1.3 and 1.2, ALPN {@code http/1.1} only (the block page is
   * served over HTTP/1.1; a browser that offers h2 too is told http/1.1). The key reaches the JDK
   * through a key manager of our own, not a key store: putting a key in a PKCS#12 store encrypts it
   * with thousands of PBKDF2 rounds, most of the cost of a context made Netty's default way.
   */
  public static SslContext serverContext(PrivateKey key, X509Certificate leaf) throws SSLException {
    return build(new OneLeaf(key, leaf), SslProvider.JDK, 1);
  }

  private static SslContext build(X509ExtendedKeyManager keys, SslProvider provider, int nativeCached) throws SSLException {
    SslContextBuilder b = provider == SslProvider.JDK ? SslContextBuilder.forServer(keys)
        : SslContextBuilder.forServer(new OpenSslCachingX509KeyManagerFactory(new KeyManagerFactoryWrapper(keys), nativeCached))
            .option(OpenSslContextOption.GROUPS, new String[] {"x25519", "secp256r1"});
    return b.sslProvider(provider)
        .protocols("TLSv1.3", "TLSv1.2")
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_1_1))
        .build();
  }

  private static boolean ec(String keyType) {
    return keyType != null && (keyType.equals("EC") || keyType.startsWith("EC_"));
  }

  /**
   * The key manager of the one context: the leaf is the one signed for the engine's peer host (the
   * name our ClientHello parse read); no leaf ready for it, no alias, and the handshake fails (the
   * page only makes an engine once the leaf is ready). Every leaf has the minter's one key.
   */
  private static final class ByName extends X509ExtendedKeyManager {
    private final PrivateKey key;
    private final java.util.function.Function<String, Leaf> ready;

    ByName(PrivateKey key, java.util.function.Function<String, Leaf> ready) {
      this.key = key;
      this.ready = ready;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      Leaf leaf = ec(keyType) && engine != null ? ready.apply(engine.getPeerHost()) : null;
      return leaf == null ? null : leaf.alias();
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null; // engines only: a socket has no name of ours
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      int mark = alias == null ? -1 : alias.lastIndexOf(ALIAS_MARK);
      Leaf leaf = mark < 0 ? null : ready.apply(alias.substring(0, mark));
      return leaf != null && leaf.alias().equals(alias) ? new X509Certificate[] {leaf.cert()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return alias != null && alias.indexOf(ALIAS_MARK) >= 0 ? key : null;
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

  /** A key manager holding one EC leaf and its key, offered for EC server authentication only. */
  private static final class OneLeaf extends X509ExtendedKeyManager {
    private static final String ALIAS = "leaf";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    OneLeaf(PrivateKey key, X509Certificate leaf) {
      this.key = key;
      this.chain = new X509Certificate[] {leaf};
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
