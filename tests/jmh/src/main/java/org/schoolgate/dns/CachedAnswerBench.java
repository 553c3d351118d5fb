package org.schoolgate.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;
import org.schoolgate.bench.Repo;
import org.schoolgate.blocklist.Blocklists;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.net.HostsFile;
import org.schoolgate.net.Transport;
import org.schoolgate.policy.AdminRules;
import org.schoolgate.policy.Policy;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.values.Cidr;

/**
 * The DNS guard's cached-answer path (SPEC 14), as {@code DnsGuard}'s UDP handler runs it for one
 * datagram: the query's bytes in a (pooled, direct) buffer, {@link Guard#handle} (client check,
 * rate, parse, verdict with the shipped lists and the bench configuration, cache hit), the answer
 * (a pooled direct buffer, as the UDP handler sends it) handed to the reply and released. What Netty itself allocates around it (the received DatagramPacket, the
 * sender's address) is not here. Run with {@code -prof gc}: the bytes a cached answer allocates.
 *
 * <pre>java -jar tests/jmh/target/benchmarks.jar CachedAnswerBench -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class CachedAnswerBench {
  private static final int NAMES = 1000;

  private EventLoopGroup group;
  private EventLoop loop;
  private Guard guard;
  private InetAddress client;
  private ByteBuf[] queries;
  private int next;
  private Blackhole blackhole;
  private DnsStats stats;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) throws Exception {
    blackhole = bh;
    Config config = ConfigLoader.load(Repo.root().resolve("tests/bench/schoolgate-bench.yaml"));
    Blocklists.Loaded loaded = Blocklists.load(config.blocklists(), config.referencedCategories().stream()
        .filter(c -> !ConfigLoader.BUILT_IN_CATEGORIES.contains(c)).toList());
    Clock clock = Clock.systemUTC();
    PolicyEngine engine = new PolicyEngine(new Policy(config.policy(), loaded.lists(), AdminRules.EMPTY), clock);
    Transport transport = Transport.best();
    group = transport.newGroup(1, "bench-dns");
    loop = group.next();
    Upstreams upstreams = new Upstreams(List.of(), Duration.ofSeconds(2), transport, group);
    DnsCache cache = new DnsCache(10_000, clock);
    DnsSink sink = new DnsSink() {
      @Override
      public void attempt(InetAddress c, String g, String host, String detail) {}

      @Override
      public void query(InetAddress c, String name, String type, String outcome, String answer) {}
    };
    guard = new Guard(List.of(Cidr.parse("127.0.0.0/8")), engine, HostsFile.EMPTY, upstreams, cache, stats = new DnsStats(),
        sink, true, false, 10_000_000, clock);
    client = InetAddress.getByName("127.0.10.5");
    queries = new ByteBuf[NAMES];
    for (int i = 0; i < NAMES; i++) {
      byte[] q = query("n" + i + ".bench.test", i);
      Query parsed = Query.parse(q);
      byte[] answer = answer(q, new byte[] {(byte) 192, 0, 2, (byte) (i % 250 + 1)});
      cache.put(parsed, answer, Records.of(answer));
      queries[i] = Unpooled.directBuffer(q.length).writeBytes(q);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (stats.get(Outcome.CACHED) == 0 || stats.get(Outcome.CACHED) != stats.get(Outcome.CACHED)
        + stats.get(Outcome.FORWARDED) + stats.get(Outcome.SERVFAIL) + stats.get(Outcome.BLOCKED)) {
      throw new IllegalStateException("not the cached path: " + stats.get(Outcome.CACHED) + " cached");
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** What dnsperf sends: RD, one question, no EDNS. */
  static byte[] query(String name, int id) {
    byte[] q = Synth.question(name, Wire.A, 1);
    Wire.put16(q, 0, id);
    Wire.put16(q, 2, Wire.RD);
    return q;
  }

  /** What unbound answers: the question and one A record, TTL 3600, the name compressed. */
  static byte[] answer(byte[] query, byte[] address) {
    byte[] m = java.util.Arrays.copyOf(query, query.length + 16);
    Wire.put16(m, 2, Wire.QR | Wire.RD | Wire.RA);
    Wire.put16(m, 6, 1);
    int o = query.length;
    Wire.put16(m, o, 0xc000 | Wire.HEADER);
    Wire.put16(m, o + 2, Wire.A);
    Wire.put16(m, o + 4, 1);
    Wire.put32(m, o + 6, 3600);
    Wire.put16(m, o + 10, 4);
    System.arraycopy(address, 0, m, o + 12, 4);
    return m;
  }

  @Benchmark
  public void cachedAnswer() {
    ByteBuf q = queries[next++ % NAMES];
    guard.handle(loop, ByteBufAllocator.DEFAULT, client, ByteBufUtil.getBytes(q), false, answer -> {
      blackhole.consume(answer);
      answer.release();
    });
  }
}
