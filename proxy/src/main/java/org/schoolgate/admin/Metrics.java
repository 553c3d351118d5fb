package org.schoolgate.admin;

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

/** Counters for {@code /metrics} (Prometheus text format), fed by the same events as the logs. */
public final class Metrics implements ProxyEvents {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** listener -> decision -> category -> counter. */
  private final Map<String, Map<String, Map<String, Counter>>> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> events = new ConcurrentHashMap<>();
  private final Map<String, Counter> changes = new ConcurrentHashMap<>();

  public Metrics(PolicyEngine engine) {
    FunctionCounter.builder("schoolgate_decisions", engine, PolicyEngine::decisions)
        .description("policy decisions made").register(registry);
    FunctionCounter.builder("schoolgate_decision_seconds", engine, e -> e.decisionNanos() / 1e9)
        .description("time spent deciding, in total (divide by schoolgate_decisions_total for the mean)").register(registry);
  }

  /** Gauges over the live connections; called once the listeners exist. */
  public void watch(ProxyContext proxy) {
    Gauge.builder("schoolgate_open_connections", proxy, p -> p.clients().size())
        .description("client connections open on the proxy listeners").register(registry);
    Gauge.builder("schoolgate_open_tunnels", proxy, p -> p.tunnels().count())
        .description("CONNECT and intercepted TLS tunnels open").register(registry);
  }

  @java.lang.Override
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
  }

  @java.lang.Override
  public void circumvention(CircumventionRecord r) {
    events.computeIfAbsent(r.kind(), k -> Counter.builder("schoolgate_circumvention_events")
        .description("circumvention attempts, by kind").tag("kind", k).register(registry)).increment();
  }

  public void adminChange(AuditRecord r) {
    changes.computeIfAbsent(r.action(), k -> Counter.builder("schoolgate_admin_changes")
        .description("changes made through the admin endpoint or the command line, by action").tag("action", k)
        .register(registry)).increment();
  }

  public String scrape() {
    return registry.scrape();
  }
}
