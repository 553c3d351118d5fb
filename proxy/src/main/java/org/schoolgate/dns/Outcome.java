package org.schoolgate.dns;

/** What the guard did with a query: the {@code outcome} label of {@code schoolgate_dns_queries_total}. */
public enum Outcome {
  /** Asked upstream, answered as the upstream said. */
  FORWARDED("forwarded"),
  /** Answered from the cache. */
  CACHED("cached"),
  /** Asked upstream, and an {@code ech} SvcParam was removed from the answer. */
  ECH_STRIPPED("ech_stripped"),
  /** A canary name (Firefox's, iCloud Private Relay's): NXDOMAIN for everyone. */
  CANARY("canary"),
  /** A circumvention name for a group that blocks it: NXDOMAIN, and an event of kind {@code dns}. */
  BLOCKED("blocked"),
  /** A search engine's host for a group with safe search: a CNAME to its enforced front end. */
  SAFE_SEARCH("safe_search"),
  /** No upstream answered in time. */
  SERVFAIL("servfail"),
  /** Not a well-formed query: dropped (or FORMERR). */
  MALFORMED("malformed"),
  /** From an address outside {@code networks} and {@code admin.allow_from}: REFUSED. */
  REFUSED("refused"),
  /** Past the client's 200 queries a second: dropped. */
  RATE_LIMITED("rate_limited");

  public final String label;

  Outcome(String label) {
    this.label = label;
  }
}
