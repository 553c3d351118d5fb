package org.schoolgate.console;

import java.util.List;

/** The annual review's page in words, as {@code review.jte} shows it (built by {@code org.schoolgate.review.Review}). */
public final class ReviewView {
  private ReviewView() {}

  public record Group(String name, String always, String inLessons) {}


  public record Report(String at, String url, String kind, String by, String outcome, String reason) {}

  public record Supervised(String at, String device, String detail) {}

  public record Site(String site, long blocked) {}

  public record Top(String group, String category, long blocked, List<Site> sites) {}

  public record Allowed(String group, String category, long allowed) {}

  public record AlertLine(String at, String what, String device, int count, String sent) {}

  public record Allowance(String at, String who, String what, String until, String reason, String by) {}

  public record Legend(String colour, String kind, long total) {}

  /** Everything the page shows, in words; {@code css} non-null puts the style sheet in the page (the file the command writes). */
  public record Page(String title, String period, String generated, List<Group> groups, String timetable, String allowedSites,
                     List<Items.Change> changes, List<Report> reports, String chart, List<Legend> legend, long attempts,
                     List<Supervised> supervised, List<Top> top, long blocked, List<Allowed> allowed, List<AlertLine> alerts,
                     List<Allowance> allowances, Omitted more, String css) {}

  /**
   * How many rows of each list the page leaves out: each list shows at most
   * {@code Review.SECTION} rows (the newest), so the page stays small whatever the store holds.
   */
  public record Omitted(long changes, long reports, long supervised, long alerts, long allowances) {}
}
