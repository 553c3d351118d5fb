package org.schoolgate.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.schoolgate.tls.ClientHello;

/**
 * {@link ClientHello#parse} on the recorded Chrome ClientHello for www.bbc.co.uk
 * (tests/src/test/resources/clienthello/chrome-hello-www.bbc.co.uk.bin: post-quantum key share,
 * GREASE ECH, about 1.8 KB), from a heap buffer and from a pooled direct buffer (what the TLS
 * listener's peek handler has), and a truncated copy (the NEED_MORE answer a first segment gets).
 *
 * <pre>java -jar bench/target/benchmarks.jar ClientHelloBench -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class ClientHelloBench {
  private ByteBuf heap;
  private ByteBuf direct;
  private ByteBuf partial;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    byte[] hello = Files.readAllBytes(Repo.root().resolve("tests/src/test/resources/clienthello/chrome-hello-www.bbc.co.uk.bin"));
    heap = Unpooled.wrappedBuffer(hello);
    direct = PooledByteBufAllocator.DEFAULT.directBuffer(hello.length);
    direct.writeBytes(hello);
    partial = Unpooled.wrappedBuffer(hello, 0, Math.min(hello.length, 1000));
    ClientHello.Result r = ClientHello.parse(heap);
    if (r.status() != ClientHello.Status.HELLO || !"www.bbc.co.uk".equals(r.serverName())) {
      throw new IllegalStateException("unexpected parse of the recorded hello: " + r);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    direct.release();
  }

  @Benchmark
  public ClientHello.Result parseHeap() {
    return ClientHello.parse(heap);
  }

  @Benchmark
  public ClientHello.Result parseDirect() {
    return ClientHello.parse(direct);
  }

  @Benchmark
  public ClientHello.Result parseNeedMore() {
    return ClientHello.parse(partial);
  }
}
