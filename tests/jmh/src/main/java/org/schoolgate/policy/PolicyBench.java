package org.schoolgate.policy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.schoolgate.bench.Repo;
import org.schoolgate.blocklist.Blocklists;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.values.Timetable;

/**
 * The decision path with the shipped lists and the benchmark configuration
 * (tests/bench/schoolgate-bench.yaml: group "bench" blocks the five content categories; the
 * circumvention list is loaded through "pupils").
 *
 * <p>{@code policyDecide} is {@link Policy#decide} alone; {@code engineDecide} is what a
 * listener calls per request ({@link PolicyEngine#decide}: clock, cached timetable state, the
 * current snapshot). Hosts: listed (a block, which builds a Decision with its rule and reason),
 * listed under a deeper name, not listed (the common case on a school network: the shared
 * allow Decision, nothing allocated), long unlisted, and the IP literal the harness uses.
 *
 * <pre>java -jar bench/target/benchmarks.jar PolicyBench -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class PolicyBench {
  @Param({
      "www.facebook.com",            // hit: social
      "a.b.cdn.instagram.com",       // hit under a deeper name
      "www.bbc.co.uk",               // miss
      "static.assets.school-website.sch.uk", // miss, long
      "127.0.0.1"                    // IP literal (the harness's requests): no suffix walk
  })
  public String host;

  /**
   * Who is on which address (SPEC 15): {@code 0} none (the map is empty: one field read);
   * {@code 2000} two thousand other identified addresses, the bench client not among them (a miss
   * in the table); {@code 2000+client} the same with the bench client identified, its user's rule
   * giving it the group its network gives (a hit: same decisions, the look-up's cost alone).
   */
  @Param({"0", "2000", "2000+client"})
  public String identities;

  private Policy policy;
  private PolicyEngine engine;
  private InetAddress client;
  private Instant now;
  private Timetable.State state;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path root = Repo.root();
    Config config = ConfigLoader.load(root.resolve("tests/bench/schoolgate-bench.yaml"));
    Blocklists.Loaded loaded = Blocklists.load(config.blocklists(), config.referencedCategories().stream()
        .filter(c -> !ConfigLoader.BUILT_IN_CATEGORIES.contains(c)).toList());
    client = InetAddress.getByName("127.0.0.1");
    policy = new Policy(config.policy(), loaded.lists(), AdminRules.EMPTY);
    if (!identities.equals("0")) {
      java.util.List<IdentityMap.Entry> entries = new java.util.ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        entries.add(new IdentityMap.Entry(InetAddress.getByName("10.10." + (i >> 8) + "." + (i & 255)), "user" + i, "pupils"));
      }
      if (identities.endsWith("+client")) {
        entries.add(new IdentityMap.Entry(client, "bench@staff.example", policy.groupOf(client)));
      }
      policy = policy.withIdentities(new IdentityMap(entries, java.util.List.copyOf(config.policy().groups().keySet())));
    }
    // a Tuesday, 11:00 London time: a lesson
    now = Instant.parse("2026-11-17T11:00:00Z");
    engine = new PolicyEngine(policy, Clock.fixed(now, ZoneOffset.UTC));
    state = config.timetable().stateAt(now);
  }

  @Benchmark
  public Decision policyDecide() {
    return policy.decide(client, host, 80, Access.HTTP, now, state);
  }

  @Benchmark
  public Decision engineDecide() {
    return engine.decide(client, host, 80, Access.HTTP);
  }
}
