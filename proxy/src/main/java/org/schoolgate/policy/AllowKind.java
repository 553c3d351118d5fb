package org.schoolgate.policy;

/** Which kind of allow rule let a host through; it names the rule in logs ({@code allow:classroom.google.com}). */
enum AllowKind {
  /** The configuration's school-wide {@code allow} list. */
  ALLOW_LIST("allow", "the school-wide allow list"),
  /** An approved unblock report (a school-wide allow added through the admin endpoint). */
  UNBLOCK("unblock", "an approved unblock request"),
  /** A curriculum override that applies to the client now; its rule also names the override's id. */
  OVERRIDE("override", "a lesson allowance");

  private final String rulePrefix;
  private final String description;

  AllowKind(String rulePrefix, String description) {
    this.rulePrefix = rulePrefix;
    this.description = description;
  }

  /**
   * Whether this allow beats a category list of the same length (SPEC section 4: an approved
   * unblock or an override does; the plain allow list does not, a block wins a tie with it).
   */
  boolean beatsCategoryLists() {
    return this != ALLOW_LIST;
  }

  /** The rule as logged: {@code allow:DOMAIN}, {@code unblock:DOMAIN}, {@code override#ID:DOMAIN}. */
  String rule(String domain, long overrideId) {
    return this == OVERRIDE ? rulePrefix + "#" + overrideId + ":" + domain : rulePrefix + ":" + domain;
  }

  /** Ends the sentence "allowed by ...". */
  String description() {
    return description;
  }
}
