package org.schoolgate.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.AuditRecord;
import org.schoolgate.log.CircumventionRecord;
import org.schoolgate.log.ProxyEvents;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.proxy.ProxyContext;

/**
 * Counters for {@code /metrics} (Prometheus text format), fed by the same events as the logs,
 * the listeners' own counts ({@link org.schoolgate.proxy.ProxyStats}) and Micrometer's JVM
 * binders (memory, GC, threads, classes, CPU, descriptors).
 */
public final class Metrics implements ProxyEvents, AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final io.micrometer.core.instrument.binder.jvm.JvmGcMetrics gc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
  /** How long HTTP requests took, first byte of the head to the last of the response (tunnels are not requests). */
  private final io.micrometer.core.instrument.Timer requestDuration;
  /** listener -> decision -> category -> counter. */
  private final Map<String, Map<String, Map<String, Counter>>> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> events = new ConcurrentHashMap<>();
  private final Map<String, Counter> changes = new ConcurrentHashMap<>();

  public Metrics(PolicyEngine engine) {
    this(engine, new org.schoolgate.identity.RadiusCounters());
  }

  public Metrics(PolicyEngine engine, org.schoolgate.identity.RadiusCounters radius) {
    for (org.schoolgate.identity.RadiusPacket.Outcome o : org.schoolgate.identity.RadiusPacket.Outcome.values()) {
      FunctionCounter.builder("schoolgate_radius_packets", radius, r -> r.count(o.label))
          .description("RADIUS accounting packets, by outcome: accepted, bad_authenticator, unknown_client, malformed,"
              + " ignored (codes other than Accounting-Request)").tag("outcome", o.label).register(registry);
    }
    FunctionCounter.builder("schoolgate_decisions", engine, PolicyEngine::decisions)
        .description("policy decisions made").register(registry);
    FunctionCounter.builder("schoolgate_decision_seconds", engine, e -> e.decisionNanos() / 1e9)
        .description("time spent deciding, in total (divide by schoolgate_decisions_total for the mean)").register(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    Gauge.builder("schoolgate_direct_memory_used_bytes", io.netty.util.internal.PlatformDependent::usedDirectMemory)
        .description("direct memory Netty has allocated (-1 if it cannot count)").register(registry);
    Gauge.builder("schoolgate_direct_memory_max_bytes", io.netty.util.internal.PlatformDependent::maxDirectMemory)
        .description("the direct memory limit (-XX:MaxDirectMemorySize)").register(registry);
    requestDuration = io.micrometer.core.instrument.Timer.builder("schoolgate_request_duration")
        .description("HTTP requests through the proxy, from their head to the end of the response")
        .serviceLevelObjectives(java.util.stream.Stream.of(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)
            .map(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new))
        .register(registry);
  }

  /** Counts the acknowledged events whose line events.jsonl could not take (a full disk). */
  public void watch(org.schoolgate.log.JsonLogs logs) {
    FunctionCounter.builder("schoolgate_event_write_failures", logs, org.schoolgate.log.JsonLogs::eventWriteFailures)
        .description("circumvention events that could not be written to events.jsonl (their connection was closed"
            + " without its block page)").register(registry);
  }

  /** Gauges over the live connections; called once the listeners exist. */
  public void watch(ProxyContext proxy) {
    Gauge.builder("schoolgate_open_connections", proxy, p -> p.clients().size())
        .description("client connections open on the proxy listeners").register(registry);
    org.schoolgate.proxy.ProxyStats stats = proxy.stats();
    for (org.schoolgate.proxy.ListenerKind l : org.schoolgate.proxy.ListenerKind.values()) {
      Gauge.builder("schoolgate_listener_connections", stats, s -> s.open(l))
          .description("client connections open, by listener").tag("listener", l.wire()).register(registry);
    }
    for (org.schoolgate.proxy.ProxyStats.Limit limit : org.schoolgate.proxy.ProxyStats.Limit.values()) {
      FunctionCounter.builder("schoolgate_limit_refusals", stats, s -> s.refusals(limit))
          .description("connections and requests refused or closed by a limit, by reason").tag("reason", limit.label)
          .register(registry);
    }
    for (org.schoolgate.proxy.ProxyStats.Hello outcome : org.schoolgate.proxy.ProxyStats.Hello.values()) {
      FunctionCounter.builder("schoolgate_client_hellos", stats, s -> s.hellos(outcome))
          .description("what was found where a TLS ClientHello should be: found, none (not TLS), too-large, timeout, closed")
          .tag("outcome", outcome.label).register(registry);
    }
    for (org.schoolgate.proxy.ProxyStats.BlockPage outcome : org.schoolgate.proxy.ProxyStats.BlockPage.values()) {
      FunctionCounter.builder("schoolgate_tls_block_pages", stats, s -> s.blockPages(outcome))
          .description("blocked TLS connections of managed devices offered the HTTPS block page: admitted (its handshake"
              + " begins), then served (handshake done), handshake-failed (a device without the school CA) or no-leaf;"
              + " or refused and closed: over-rate (20 a second per device), over-budget (100 a second or 32 at once"
              + " across all devices)")
          .tag("outcome", outcome.label).register(registry);
    }
    java.util.List<String> kinds = new java.util.ArrayList<>();
    for (org.schoolgate.net.UpstreamFailure.Kind k : org.schoolgate.net.UpstreamFailure.Kind.values()) {
      kinds.add(k.label);
    }
    kinds.addAll(java.util.List.of("closed", "malformed")); // an exchange the origin broke off or garbled
    for (String kind : kinds) {
      FunctionCounter.builder("schoolgate_upstream_failures", stats, s -> {
        java.util.concurrent.atomic.LongAdder n = s.upstreamFailures().get(kind);
        return n == null ? 0 : n.sum();
      }).description("upstream connections or exchanges that failed, by kind").tag("kind", kind).register(registry);
    }
    Gauge.builder("schoolgate_buffered_bytes", proxy, ProxyContext::bufferedBytes)
        .description("bytes queued toward slow peers beyond each connection's free allowance (limits.buffer_budget_percent)")
        .register(registry);
    Gauge.builder("schoolgate_buffer_budget_bytes", proxy, ProxyContext::bufferBudget)
        .description("the budget for schoolgate_buffered_bytes").register(registry);
    Gauge.builder("schoolgate_tls_block_page_handshakes_under_way", proxy, ProxyContext::blockPageHandshakesUnderWay)
        .description("HTTPS block-page handshakes admitted and not yet through (at most 32)").register(registry);
    Gauge.builder("schoolgate_open_tunnels", proxy, p -> p.tunnels().count())
        .description("CONNECT and intercepted TLS tunnels open").register(registry);
  }

  /** The DNS guard's queries by outcome (SPEC 14); called once the guard runs. */
  public void watch(org.schoolgate.dns.DnsStats dns) {
    for (org.schoolgate.dns.Outcome o : org.schoolgate.dns.Outcome.values()) {
      FunctionCounter.builder("schoolgate_dns_queries", dns, s -> s.get(o))
          .description("DNS guard queries, by outcome: forwarded, cached, ech_stripped, canary, blocked, safe_search,"
              + " servfail, malformed, refused, rate_limited")
          .tag("outcome", o.label).register(registry);
    }
  }

  @Override
  public void access(AccessRecord r) {
    // Called for every request: plain lookups on the way to the counter, nothing built per call.
    String category = r.category() == null ? "none" : r.category();
    Map<String, Map<String, Counter>> byDecision = requests.get(r.listener());
    if (byDecision == null) {
      byDecision = requests.computeIfAbsent(r.listener(), k -> new ConcurrentHashMap<>());
    }
    Map<String, Counter> byCategory = byDecision.get(r.decision());
    if (byCategory == null) {
      byCategory = byDecision.computeIfAbsent(r.decision(), k -> new ConcurrentHashMap<>());
    }
    Counter counter = byCategory.get(category);
    if (counter == null) {
      counter = byCategory.computeIfAbsent(category, k -> Counter.builder("schoolgate_requests")
          .description("requests and tunnels, by listener, decision and category")
          .tag("listener", r.listener()).tag("decision", r.decision()).tag("category", k).register(registry));
    }
    counter.increment();
    if (r.path() != null) {
      requestDuration.record(r.ms(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void circumvention(CircumventionRecord r) {
    events.computeIfAbsent(r.kind(), k -> Counter.builder("schoolgate_circumvention_events")
        .description("circumvention attempts, by kind").tag("kind", k).register(registry)).increment();
  }

  public void adminChange(AuditRecord r) {
    changes.computeIfAbsent(r.action(), k -> Counter.builder("schoolgate_admin_changes")
        .description("changes made through the admin endpoint or the command line, by action").tag("action", k)
        .register(registry)).increment();
  }

  /** Where other parts register their meters (the list subscriptions'). */
  public io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
  }
}
