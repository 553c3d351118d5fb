package org.schoolgate.console;

import java.util.List;

/** The rows the console's pages list, already in words (times formatted, categories in plain English). */
public final class Items {
  private Items() {}

  /** A report waiting for a decision. */
  public record WaitingReport(long id, String host, String url, String category, String kind, String note, String by,
                              String at) {}

  /** A decided report in the history (issue 24 item 9): {@code decision} in words, with who decided, when and why. */
  public record DecidedReport(long id, String host, String url, String kind, String by, String at, String decision,
                              String decidedBy, String decidedAt, String reason) {}

  /** A staff account as "Staff accounts" lists it; {@code roles} the choices of its role; {@code self} the account signed in. */
  public record Account(String name, String role, String since, List<Choice> roles, boolean self) {}

  /** A report as the person who filed it sees it. */
  public record FiledReport(long id, String url, String kind, String at, String state, String decision) {}

  /** @param site the one school it applies to, or empty for every school */
  public record Block(String domain, String reason, String by, String at, boolean fromReport, String site) {}

  /** An "allow for a lesson", current or ended. */
  public record Allowance(long id, String who, String what, String until, String reason, String by, boolean active) {}

  /** An option of a select or a set of checkboxes. */
  public record Choice(String value, String label, boolean selected) {}

  public record Device(String address, String since, int attempts, String kinds, String mode, String label) {}

  public record Attempt(String at, String device, String group, String kind, String host, String detail) {}

  /**
   * The links of a paged list: {@code newer} back towards the newest, {@code older} on past the
   * last row shown; each null when there is nothing that way.
   */
  public record Paging(String newer, String older) {
    /** Rows on one page of a console list. */
    public static final int SIZE = 50;
  }

  public record Change(String at, String user, String action, String target, String reason) {}

  /** One group's rules in plain words. */
  public record GroupRules(String name, String networks, String alwaysBlocked, String blockedInLessons,
                           boolean isDefault) {}

  /**
   * "Check a site": the answer in a sentence, and the facts behind it; {@code dns}: what the DNS guard
   * answers, or null; {@code user}: who is on the device's address by RADIUS accounting (SPEC 15), or null.
   */
  public record Check(String sentence, boolean blocked, String group, String category, String rule, String period,
                      String dns, String user) {}

  /** The console's policy page. */
  public record Policy(List<GroupRules> groups, String schoolDays, String schoolDay, String breaks, String allowed,
                       String supervision, List<Choice> categories, String timezone) {}

  /** A safeguarding alert as the console lists it: {@code count} occurrences folded into it, {@code state} in words. */
  public record Alert(String at, String what, String device, String group, String detail, int count, String ref,
                      String state, boolean sent) {}

  /** The overview's counts of things waiting (issue 24.11). */
  public record Waiting(long openReports, long supervised, long allowances, long attemptsToday) {}

  /**
   * Today at a glance: visits, blocked and its share ("12%"), background visits left out; the most
   * blocked sites and busiest devices as choices whose value is the count and label the site or device.
   */
  public record Glance(long visits, long blocked, String share, long background, List<Choice> sites, List<Choice> devices) {}

  /** A line of today's blocks: its time, device, group, site, why in words; {@code client} the device's address. */
  public record TodayBlock(String at, String device, String group, String host, String why, String client, String ref) {}

  /** Who is on a device now (SPEC 15), as the console lists it; {@code site} empty when the trust has one school. */
  public record Identity(String user, String device, String group, String since, String heard, String site) {}
}
