package org.schoolgate.proxy;

import java.util.Set;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.tls.ClientHello;
import org.schoolgate.values.HostSyntax;

/**
 * What a ClientHello names, as the policy sees it: a normalised host to decide, or the
 * circumvention kind that says why there is none to decide on (no usable server name, or
 * Encrypted Client Hello behind a public name). A decoy (GREASE) ECH extension beside an
 * ordinary name is just that name. Shared by intercepted TLS and CONNECT tunnels.
 */
record HelloName(String host, CircumventionKind anomaly, String detail) {

  static HelloName of(ClientHello.Result hello, Set<String> echPublicNames) {
    String raw = hello.serverName();
    String sni = raw == null ? null : HostSyntax.normalise(raw);
    if (sni == null) {
      return new HelloName(null, CircumventionKind.NO_SNI, raw == null ? "ClientHello without a server name" : "unusable server name");
    }
    if (hello.ech() && echPublicNames.contains(sni)) {
      return new HelloName(sni, CircumventionKind.ECH, "Encrypted Client Hello behind " + sni);
    }
    return new HelloName(sni, null, null);
  }
}
