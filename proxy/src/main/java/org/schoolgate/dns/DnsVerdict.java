package org.schoolgate.dns;

import java.util.Set;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.policy.Decision;

/**
 * What the guard answers for a name, from the policy's decision for the client and that name
 * (SPEC 14): the canaries are NXDOMAIN for everyone; a name in the circumvention list is
 * NXDOMAIN for a group that blocks circumvention; a search engine's host is a CNAME to its
 * enforced front end for a group with safe search; everything else is forwarded. The listener
 * and "Check a site" both ask here, so they cannot drift apart.
 *
 * @param frontEnd the front end of a {@link Kind#SAFE_SEARCH} answer, else null
 */
public record DnsVerdict(Kind kind, String frontEnd) {
  public enum Kind { CANARY, BLOCKED, SAFE_SEARCH, FORWARD }

  /** Firefox's canary (DNS over HTTPS stays off) and iCloud Private Relay's two. */
  public static final Set<String> CANARIES = Set.of("use-application-dns.net", "mask.icloud.com", "mask-h2.icloud.com");
  static final DnsVerdict CANARY = new DnsVerdict(Kind.CANARY, null);
  static final DnsVerdict BLOCKED = new DnsVerdict(Kind.BLOCKED, null);
  static final DnsVerdict FORWARD = new DnsVerdict(Kind.FORWARD, null);

  /** Whether the guard needs the policy's decision for this name at all (canaries need none). */
  static boolean canary(String host) {
    return CANARIES.contains(host);
  }

  /**
   * @param host     the name asked, normalised
   * @param decision the policy's decision for the client and {@code host} as a TLS connection; null for a
   *                 name the policy cannot read (it is forwarded)
   */
  public static DnsVerdict of(String host, Decision decision) {
    if (canary(host)) {
      return CANARY;
    }
    if (decision == null) {
      return FORWARD;
    }
    if (decision.circumvention() == CircumventionKind.CIRCUMVENTION_SITE) {
      return BLOCKED;
    }
    if (decision.allowed() && decision.reroute() != null) {
      return new DnsVerdict(Kind.SAFE_SEARCH, decision.reroute().frontEnd());
    }
    return FORWARD;
  }

  /** What the DNS guard answers, in a sentence ("Check a site", {@code /api/decision}). */
  public String sentence(String host, boolean stripEch) {
    return switch (kind) {
      case CANARY -> "The DNS guard answers that " + host + " does not exist, for every device: it is the signal that"
          + " tells browsers and iCloud Private Relay to use the school's DNS.";
      case BLOCKED -> "The DNS guard answers that " + host + " does not exist, because it is a way round the filter;"
          + " the look-up is recorded.";
      case SAFE_SEARCH -> "The DNS guard answers " + host + " with " + frontEnd + ", the search engine's enforced"
          + " safe search.";
      case FORWARD -> "The DNS guard passes the look-up of " + host + " to the school's resolver"
          + (stripEch ? ", with any Encrypted Client Hello key taken out of the answer." : ".");
    };
  }
}
