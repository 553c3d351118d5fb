package org.schoolgate.console;

import java.util.List;

/** The annual review's page in words, as {@code review.jte} shows it (built by {@code org.schoolgate.review.Review}). */
public final class ReviewView {
  private ReviewView() {}

  /** @param searchAndVideo safe search and YouTube's restricted mode for the group, in words */
  public record Group(String name, String always, String inLessons, String searchAndVideo) {}


  public record Report(String at, String url, String kind, String by, String outcome, String reason) {}

  public record Supervised(String at, String device, String detail) {}

  public record Site(String site, long blocked) {}

  public record Top(String group, String category, long blocked, List<Site> sites) {}

  public record Allowed(String group, String category, long allowed) {}

  public record AlertLine(String at, String what, String device, int count, String sent) {}

  public record Allowance(String at, String who, String what, String until, String reason, String by) {}

  public record Legend(String colour, String kind, long total) {}

  /**
   * Everything the page shows, in words: {@code school} the site's name, {@code from}/{@code to} the
   * period as YYYY-MM-DD (the date picker's values), {@code summary} the governors' sentences first,
   * {@code background} blocked visits of browsers' and systems' background traffic, left out of
   * {@code top}; {@code css} non-null puts the style sheet in the page (the file the command writes).
   */
  public record Page(String title, String school, String period, String from, String to, List<String> summary,
                     String generated, List<Group> groups, String timetable, String allowedSites,
                     List<Items.Change> changes, List<Report> reports, String chart, List<Legend> legend, long attempts,
                     List<Supervised> supervised, List<Top> top, long blocked, long background, List<Allowed> allowed,
                     List<AlertLine> alerts,
                     List<Allowance> allowances, Omitted more, String css) {}

  /**
   * How many rows of each list the page leaves out: each list shows at most
   * {@code Review.SECTION} rows (the newest), so the page stays small whatever the store holds.
   */
  public record Omitted(long changes, long reports, long supervised, long alerts, long allowances) {}
}
