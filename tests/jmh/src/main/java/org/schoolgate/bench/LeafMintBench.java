package org.schoolgate.bench;

import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * What a cache miss of the HTTPS block page costs (SPEC section 9): signing a leaf for a new name
 * with an EC P-256 CA, and that plus the JDK {@link SslContext} the handshake is served from
 * ({@link BlockPageCerts#serverContext}).
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

  @Setup(Level.Trial)
  public void setUp() {
    minter = new LeafMinter(SchoolCa.create("bench CA", Clock.systemUTC()), Clock.systemUTC());
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
