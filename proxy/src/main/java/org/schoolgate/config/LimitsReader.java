package org.schoolgate.config;

import java.time.Duration;
import java.util.Set;

/** The {@code limits} section; every key is optional (defaults: {@link Config.Limits#DEFAULTS}). */
final class LimitsReader {
  private LimitsReader() {}

  static Config.Limits read(Node n) {
    Config.Limits d = Config.Limits.DEFAULTS;
    if (n.isNull()) {
      return d;
    }
    n.checkKeys(Set.of("connections_per_client", "request_head_timeout", "buffer_budget_percent"));
    Node perClient = n.get("connections_per_client");
    Integer connections = perClient.isNull() ? Integer.valueOf(d.connectionsPerClient()) : perClient.integer(8, 1_000_000, true);
    Duration head = Fields.duration(n.get("request_head_timeout"), d.requestHeadTimeout());
    Node budget = n.get("buffer_budget_percent");
    Integer percent = budget.isNull() ? Integer.valueOf(d.bufferBudgetPercent()) : budget.integer(5, 90, true);
    return new Config.Limits(connections == null ? d.connectionsPerClient() : connections, head,
        percent == null ? d.bufferBudgetPercent() : percent);
  }
}
