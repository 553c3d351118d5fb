package org.schoolgate.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.schoolgate.ca.LeafMinter;
import org.schoolgate.ca.SchoolCa;
import org.schoolgate.proxy.BlockPageCerts;

/**
 * What the HTTPS block page costs (SPEC section 9): on a cache miss, signing a leaf for a new name
 * with an EC P-256 CA, and that plus the JDK {@link SslContext} the handshake is served from
 * ({@link BlockPageCerts#serverContext}); on every blocked connection, a whole TLS 1.3 handshake
 * between two JDK engines in memory (both sides' CPU: the server's share is about half).
 * The figures decide where minting runs (docs/performance.md, "HTTPS block page").
 *
 * <pre>java -jar tests/jmh/target/benchmarks.jar LeafMintBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class LeafMintBench {
  private LeafMinter minter;
  private final AtomicInteger n = new AtomicInteger();
  private SslContext server;
  private SslContext client;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    minter = new LeafMinter(SchoolCa.create("bench CA", Clock.systemUTC()), Clock.systemUTC());
    server = BlockPageCerts.serverContext(minter.leafKey(), minter.mint("www.facebook.com"));
    client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(minter.caCertificate()).build();
  }

  /** One blocked connection's handshake, served from a cached context: both engines, in memory. */
  @Benchmark
  public SSLSession handshake() throws Exception {
    SSLEngine c = client.newEngine(ByteBufAllocator.DEFAULT, "www.facebook.com", 443);
    SSLEngine s = server.newEngine(ByteBufAllocator.DEFAULT);
    ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
    ByteBuffer sink = ByteBuffer.allocate(1 << 16);
    c.beginHandshake();
    s.beginHandshake();
    for (int i = 0; i < 100 && !(done(c) && done(s)); i++) {
      step(c, toClient, toServer, sink);
      step(s, toServer, toClient, sink);
    }
    if (!done(c) || !done(s)) {
      throw new IllegalStateException("no handshake: " + c.getHandshakeStatus() + " / " + s.getHandshakeStatus());
    }
    return c.getSession();
  }

  private static boolean done(SSLEngine e) {
    HandshakeStatus h = e.getHandshakeStatus();
    return h == HandshakeStatus.NOT_HANDSHAKING || h == HandshakeStatus.FINISHED;
  }

  /** Lets {@code e} read what came in and write what it has to say, running its tasks inline. */
  private static void step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer sink) throws Exception {
    in.flip();
    while (in.hasRemaining() && e.unwrap(in, sink).bytesConsumed() > 0) {
      sink.clear();
      runTasks(e);
    }
    in.compact();
    runTasks(e);
    while (e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      e.wrap(ByteBuffer.allocate(0), out);
      runTasks(e);
    }
  }

  private static void runTasks(SSLEngine e) {
    for (Runnable t; (t = e.getDelegatedTask()) != null; ) {
      t.run();
    }
  }

  @Benchmark
  public X509Certificate mint() {
    return minter.mint("site" + n.incrementAndGet() + ".example.com");
  }

  @Benchmark
  public SslContext mintAndContext() throws Exception {
    X509Certificate leaf = minter.mint("site" + n.incrementAndGet() + ".example.com");
    return BlockPageCerts.serverContext(minter.leafKey(), leaf);
  }
}
