package org.schoolgate.policy;

import java.time.Instant;
import org.schoolgate.values.Timetable;

/**
 * What the policy decided for one request or connection, and why.
 *
 * @param allowed    the verdict
 * @param group      the client's group
 * @param category   the deciding category (a list name, {@code reported}, {@code circumvention},
 *                   {@code supervision}, {@code self}), or null when no category applies
 * @param rule       the rule that decided, e.g. {@code social:facebook.com}, {@code allow:classroom.google.com},
 *                   {@code connect-port:22}; null when no rule matched (allowed by default)
 * @param reason     one plain-English sentence
 * @param period     lesson, break or outside school hours, at the time of the decision
 * @param reopensAt  for a block that applies in lessons only, when the next break or the end of the school day starts
 * @param circumvention the kind of circumvention attempt this was, or null
 * @param detail     extra words for the event log (e.g. "via translate.goog"), or null
 * @param reroute    for an allowed connection to a search engine or YouTube whose group enforces
 *                   safe search or restricted mode, the front end to connect to instead; else null
 * @param override   the lesson allowance (curriculum override) that let it through, or null: what
 *                   "Check a site" names, with its end
 */
public record Decision(
    boolean allowed,
    String group,
    String category,
    String rule,
    String reason,
    Timetable.Period period,
    Instant reopensAt,
    CircumventionKind circumvention,
    String detail,
    Reroute reroute,
    CurriculumOverride override) {

  /** A decision no override made. */
  public Decision(boolean allowed, String group, String category, String rule, String reason, Timetable.Period period,
                  Instant reopensAt, CircumventionKind circumvention, String detail, Reroute reroute) {
    this(allowed, group, category, rule, reason, period, reopensAt, circumvention, detail, reroute, null);
  }

  public String verdict() {
    return allowed ? "allow" : "block";
  }

  /** The host to connect to for {@code host}: the enforced front end when rerouted, else {@code host} itself. */
  public String upstreamHost(String host) {
    return reroute == null ? host : reroute.frontEnd();
  }

  public boolean supervisedBlock() {
    return Decisions.SUPERVISION.equals(category);
  }
}
