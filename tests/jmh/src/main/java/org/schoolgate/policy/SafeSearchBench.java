package org.schoolgate.policy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * What safe search costs a decision (SPEC section 10): {@link PolicyBench}'s configuration and
 * lists, with the "bench" group's {@code safe_search} and {@code youtube} off (as in PolicyBench:
 * no lookup at all) or on (one exact-host lookup on every allowed decision). Hosts: not a search
 * engine (the common case, which must cost the same either way), a search engine (rerouted when
 * on: one Decision built), and a listed site (a block, never looked up).
 *
 * <pre>java -jar bench/target/benchmarks.jar SafeSearchBench -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class SafeSearchBench {
  @Param({"off", "on"})
  public String safeSearch;

  @Param({"www.bbc.co.uk", "www.google.co.uk", "www.facebook.com"})
  public String host;

  private Policy policy;
  private InetAddress client;
  private Instant now;
  private Timetable.State state;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Config config = ConfigLoader.load(Repo.root().resolve("tests/bench/schoolgate-bench.yaml"));
    Blocklists.Loaded loaded = Blocklists.load(config.blocklists(), config.referencedCategories().stream()
        .filter(c -> !ConfigLoader.BUILT_IN_CATEGORIES.contains(c)).toList());
    PolicyConfig base = config.policy();
    boolean on = safeSearch.equals("on");
    Map<String, PolicyConfig.GroupRules> groups = new LinkedHashMap<>(base.groups());
    PolicyConfig.GroupRules bench = groups.get("bench");
    groups.put("bench", new PolicyConfig.GroupRules(bench.block(), bench.blockInLessons(), on,
        on ? YouTubeMode.STRICT : YouTubeMode.OFF));
    PolicyConfig withSafeSearch = new PolicyConfig(base.timetable(), base.networks(), base.defaultGroup(), groups,
        base.allow(), base.allowedConnectPorts(), base.supervisionAllow(), base.frontEnds());
    policy = new Policy(withSafeSearch, loaded.lists(), AdminRules.EMPTY);
    now = Instant.parse("2026-11-17T11:00:00Z"); // a Tuesday lesson
    state = config.timetable().stateAt(now);
    client = InetAddress.getByName("127.0.0.1"); // group "bench"
  }

  @Benchmark
  public Decision decide() {
    return policy.decide(client, host, 443, Access.TLS, now, state);
  }
}
