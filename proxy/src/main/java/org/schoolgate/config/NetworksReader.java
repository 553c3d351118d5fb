package org.schoolgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.values.Cidr;

/** The {@code networks} section: group name to CIDR blocks, in file order. */
final class NetworksReader {
  private NetworksReader() {}

  static Map<String, List<Cidr>> read(Node n, Set<String> groups) {
    Map<String, List<Cidr>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : n.entries()) {
      if (!groups.isEmpty() && !groups.contains(e.getKey())) {
        e.getValue().problem('"' + e.getKey() + "\" is not a group (groups: " + String.join(", ", groups) + ")");
      }
      out.put(e.getKey(), List.copyOf(Fields.cidrs(e.getValue())));
    }
    return out;
  }
}
