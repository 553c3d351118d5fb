package org.schoolgate.policy;

import org.schoolgate.values.Timetable.Period;

/**
 * The circumvention checks of SPEC section 4.5 that come before any host rule (a CONNECT to a
 * port outside {@code allowed_connect_ports}, a tunnel or TLS connection to a bare IP address),
 * the circumvention list itself, and what a device under lockdown supervision may still reach.
 */
final class CircumventionRules {
  private final boolean[] allowedConnectPorts = new boolean[65536];
  private final DomainIndex supervisionAllow;
  private final CategoryLists lists;
  private final long circumventionBit;

  CircumventionRules(PolicyConfig config, CategoryLists lists) {
    for (int p : config.allowedConnectPorts()) {
      allowedConnectPorts[p] = true;
    }
    this.supervisionAllow = DomainIndex.of(config.supervisionAllow());
    this.lists = lists;
    this.circumventionBit = lists.bit(Decisions.CIRCUMVENTION);
  }

  /**
   * The attempt this request is before its host is looked at, or null; only for a group that
   * blocks circumvention now.
   */
  Decision attempt(String group, String host, boolean ipLiteral, int port, Access access, Period period) {
    if (access == Access.CONNECT && !allowedConnectPorts[port]) {
      return Decisions.circumvention(group, CircumventionKind.CONNECT_PORT, "connect-port:" + port,
          "tunnels to port " + port + " are not allowed", period, null);
    }
    if (ipLiteral && access != Access.HTTP) {
      return Decisions.circumvention(group, CircumventionKind.IP_LITERAL, "ip-literal:" + host,
          "connections to a bare IP address hide which site is being reached", period, null);
    }
    return null;
  }

  /** Whether the host or any parent domain of it is in the circumvention list. */
  boolean listed(String host) {
    return circumventionBit != 0 && DomainHash.anySuffix(host, h -> (lists.categoriesOf(h) & circumventionBit) != 0);
  }

  /** Whether a device under lockdown may reach the host: it or a parent domain is in supervision_allow. */
  boolean allowedUnderSupervision(String host) {
    return DomainHash.anySuffix(host, h -> supervisionAllow.get(h) >= 0);
  }
}
