package org.schoolgate.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The {@code circumvention} section; every key is optional. */
final class CircumventionReader {
  private CircumventionReader() {}

  static Config.Circumvention read(Node n) {
    if (!n.isNull()) {
      n.checkKeys(Set.of("allowed_connect_ports", "supervise_after", "supervise_within", "supervision",
          "supervision_allow", "ech_public_names"));
    }
    Set<Integer> ports = new TreeSet<>();
    Node portsNode = n.get("allowed_connect_ports");
    if (portsNode.isNull()) {
      ports.add(443);
    }
    for (Node item : portsNode.items()) {
      Integer p = item.integer(1, 65535, true);
      if (p != null) {
        ports.add(p);
      }
    }
    Node after = n.get("supervise_after");
    Integer superviseAfter = after.isNull() ? Integer.valueOf(5) : after.integer(1, 1_000_000, true);
    Duration within = Fields.duration(n.get("supervise_within"), Duration.ofMinutes(10));
    Node mode = n.get("supervision");
    Config.SupervisionMode supervision = mode.isNull() ? Config.SupervisionMode.LOCKDOWN : mode.as(ConfigValues::supervisionMode, true);
    List<String> supervisionAllow = Fields.hostList(n.get("supervision_allow"));
    Set<String> ech = new LinkedHashSet<>(Fields.hostList(n.get("ech_public_names")));
    return new Config.Circumvention(Set.copyOf(ports), superviseAfter == null ? 5 : superviseAfter, within,
        supervision, List.copyOf(supervisionAllow), Collections.unmodifiableSet(ech));
  }
}
