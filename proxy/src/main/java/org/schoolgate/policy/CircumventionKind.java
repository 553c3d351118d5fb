package org.schoolgate.policy;

/** The kinds of circumvention attempt of SPEC section 4.5, as written to {@code events.jsonl}. */
public enum CircumventionKind {
  CIRCUMVENTION_SITE("circumvention-site"),
  CONNECT_PORT("connect-port"),
  IP_LITERAL("ip-literal"),
  NO_SNI("no-sni"),
  ECH("ech"),
  NOT_TLS("not-tls"),
  /** A name in the circumvention list looked up through the DNS guard (SPEC 14); never counts towards supervision. */
  DNS("dns");

  private final String wire;

  CircumventionKind(String wire) {
    this.wire = wire;
  }

  /** The name used in logs and the admin API. */
  public String wire() {
    return wire;
  }

  public static CircumventionKind fromWire(String s) {
    for (CircumventionKind k : values()) {
      if (k.wire.equals(s)) {
        return k;
      }
    }
    return null;
  }
}
