package org.schoolgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.schoolgate.values.Cidr;

/** The {@code admin} section: who may reach the admin endpoint, never the default group's networks. */
final class AdminReader {
  private AdminReader() {}

  /** allow_from must never include the default (fail-closed, pupils') group's networks. */
  static Config.Admin read(Node n, List<Cidr> pupilNetworks, String pupilGroup) {
    if (!n.isNull()) {
      n.checkKeys(Set.of("allow_from"));
    }
    List<Cidr> allow = new ArrayList<>();
    Node from = n.get("allow_from");
    if (from.isNull()) {
      allow.add(Cidr.parse("127.0.0.0/8"));
      allow.add(Cidr.parse("::1/128"));
    }
    for (Node item : from.items()) {
      Cidr c = item.as(Cidr::parse, true);
      if (c != null) {
        allow.add(c);
        for (Cidr pupils : pupilNetworks == null ? List.<Cidr>of() : pupilNetworks) {
          if (c.overlaps(pupils)) {
            item.problem(c + " overlaps " + pupils + ", a network of the default group " + pupilGroup
                + "; the admin endpoint must never be reachable from pupils' networks");
          }
        }
      }
    }
    return new Config.Admin(List.copyOf(allow));
  }
}
