package org.schoolgate.policy;

import org.schoolgate.values.Timetable;
import org.schoolgate.values.Timetable.Period;

/**
 * Every kind of {@link Decision} the filter makes, built in one place so that each kind always
 * carries the same category, rule and reason (the words logs, block pages and the admin's
 * "explain" view show).
 */
public final class Decisions {
  /** Blocked and recorded as an attempt, for groups that block it; never lifted by an override. */
  public static final String CIRCUMVENTION = "circumvention";
  /** Blocked by the headteacher through the admin endpoint, for every group. */
  public static final String REPORTED = "reported";
  /** Outside what a device under lockdown supervision may reach. */
  public static final String SUPERVISION = "supervision";
  /** A request that names one of the proxy's own listeners. */
  public static final String SELF = "self";

  private Decisions() {}

  /** No rule matches: allowed. */
  static Decision noRule(String group, Period period) {
    return new Decision(true, group, null, null, "no rule matches this site", period, null, null, null, null);
  }

  /** Allowed by an allow rule for {@code domain}: the allow list or an approved unblock. */
  static Decision allowedBy(String group, AllowKind kind, String domain, Period period) {
    return new Decision(true, group, null, kind.rule(domain, 0), "allowed by " + kind.description(),
        period, null, null, null, null);
  }

  /**
   * Allowed by a lesson allowance (a curriculum override) that names {@code domain}, or that lifts
   * {@code category} (a list the group would block now, null for a domain allowance); the decision
   * carries the override, so an explanation can say which one and until when.
   */
  static Decision allowedByOverride(String group, CurriculumOverride override, String category, String domain,
                                    Period period) {
    return new Decision(true, group, category, AllowKind.OVERRIDE.rule(domain, override.id()),
        "allowed by " + AllowKind.OVERRIDE.description(), period, null, null, null, null, override);
  }

  /** Blocked by an admin block of {@code domain}. */
  static Decision reported(String group, String domain, Period period) {
    return new Decision(false, group, REPORTED, REPORTED + ":" + domain, "the headteacher has blocked this site",
        period, null, null, null, null);
  }

  /**
   * Blocked because {@code domain} is in a category list the group blocks now; a block in
   * lessons only says so and reopens when {@code state} ends (the next break or the end of the day).
   */
  static Decision listed(String group, String category, String domain, boolean lessonsOnly, Timetable.State state,
                         CircumventionKind circumvention) {
    String reason = lessonsOnly
        ? category + " sites are blocked for " + group + " in lessons"
        : category + " sites are blocked for " + group;
    return new Decision(false, group, category, category + ":" + domain, reason, state.period(),
        lessonsOnly ? state.until() : null, circumvention, null, null);
  }

  /** A circumvention attempt, blocked and recorded. */
  static Decision circumvention(String group, CircumventionKind kind, String rule, String reason, Period period,
                                String detail) {
    return new Decision(false, group, CIRCUMVENTION, rule, reason, period, null, kind, detail, null);
  }

  /** A device under lockdown supervision asked for something outside its list. */
  static Decision supervision(String group, Period period) {
    return new Decision(false, group, SUPERVISION, SUPERVISION + ":lockdown",
        "this device is under supervision and can only reach the listed learning sites", period, null, null, null, null);
  }

  /**
   * A block of {@code inner} reached through Google Translate's proxy: the same block, said so;
   * for a group that blocks circumvention it is a circumvention attempt as well.
   */
  static Decision throughTranslate(Decision blocked, String inner, boolean circumvention) {
    return new Decision(false, blocked.group(), circumvention ? CIRCUMVENTION : blocked.category(), blocked.rule(),
        blocked.reason() + " (reached through Google Translate)", blocked.period(), blocked.reopensAt(),
        circumvention ? CircumventionKind.CIRCUMVENTION_SITE : null, inner + " via translate.goog", null);
  }

  /**
   * {@code allowed}, carried out through the engine's enforced front end (SPEC section 10): the
   * verdict and the rule that allowed it stay as they were.
   */
  static Decision rerouted(Decision allowed, Reroute reroute) {
    return new Decision(true, allowed.group(), allowed.category(), allowed.rule(), allowed.reason(), allowed.period(),
        allowed.reopensAt(), allowed.circumvention(), allowed.detail(), reroute, allowed.override());
  }

  /** A TLS connection with no name to decide on, for a group that does not block circumvention now. */
  static Decision undecidableAllowed(String group, String detail, Period period) {
    return new Decision(true, group, null, null, detail, period, null, null, detail, null);
  }

  /** {@code decided} turned into a refusal because {@code host} is the proxy itself (a loop, or a way round allow_from). */
  public static Decision self(Decision decided, String host, String detail) {
    return new Decision(false, decided.group(), SELF, SELF + ":" + host, detail, decided.period(), null, null, null, null);
  }
}
