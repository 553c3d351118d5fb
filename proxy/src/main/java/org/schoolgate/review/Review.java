package org.schoolgate.review;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.schoolgate.config.Config;
import org.schoolgate.console.Charts;
import org.schoolgate.console.ReviewView.*;
import org.schoolgate.console.Items;
import org.schoolgate.console.Words;
import org.schoolgate.log.Timestamps;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.proxy.Categories;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;

/**
 * The annual review (SPEC 11; DfE: "review at least annually", "document what is blocked or
 * allowed and why"): one printable page for a period, read from the store in one transaction —
 * the counters (not the log files) for what was blocked, the audit for every change, the reports
 * and their decisions, attempts per month and kind, supervisions, alerts and lesson overrides.
 * The console serves it at {@code /review}; the {@code review} command writes the same page to a file.
 */
public final class Review {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.UK);
  private static final List<String> KINDS = java.util.Arrays.stream(CircumventionKind.values()).map(CircumventionKind::wire).toList();
  /** The most blocked sites listed per group and category. */
  public static final int TOP = 10;
  /**
   * The most rows one list of the page shows (issue 21.1: the review holds bounded memory whatever
   * the store holds); the page says how many more there were. Each row's texts are cut to
   * {@link Rows#TEXT_SHOWN} characters by the store.
   */
  public static final int SECTION = 500;

  private Review() {}

  /** The review of {@code from} to {@code to} (both days included, in the school's time zone). */
  public static Page build(Store store, Config config, LocalDate from, LocalDate to, Instant now, String css) {
    ZoneId zone = config.timezone();
    String fromTs = Timestamps.format(from.atStartOfDay(zone).toInstant(), zone);
    String untilTs = Timestamps.format(to.plusDays(1).atStartOfDay(zone).toInstant(), zone);
    return store.transaction(ops -> {
      Map<String, String> named = new HashMap<>();
      ops.supervision().deviceNames().forEach(n -> named.put(n.device(), n.name()));
      org.schoolgate.net.DeviceNames names = new org.schoolgate.net.DeviceNames();
      names.replace(named);
      List<Items.Change> changes = new ArrayList<>();
      for (Rows.Audit a : ops.audit().between(fromTs, untilTs, SECTION)) {
        changes.add(new Items.Change(when(a.ts(), zone), Words.actor(a.user()), Words.action(a.action()),
            Words.target(a.target()), Words.reason(a.reason())));
      }
      long moreChanges = changes.size() < SECTION ? 0 : ops.audit().countBetween(fromTs, untilTs) - SECTION;
      List<Report> reports = new ArrayList<>();
      Store.ReportQuery inPeriod = new Store.ReportQuery(null, null, null, 0, SECTION, fromTs, untilTs);
      List<Rows.Report> all = new ArrayList<>(ops.reports().page(inPeriod));
      long moreReports = all.size() < SECTION ? 0 : ops.reports().count(inPeriod) - SECTION;
      all.sort(Comparator.comparingLong(Rows.Report::id));
      for (Rows.Report r : all) {
        {
          String outcome = switch (r.status()) {
            case "approved" -> (r.kind().equals("inappropriate") ? "blocked" : "allowed") + " by " + r.decidedBy() + " on "
                + when(r.decidedAt(), zone);
            case "dismissed" -> "not taken up, by " + r.decidedBy() + " on " + when(r.decidedAt(), zone);
            default -> "waiting for a decision";
          };
          reports.add(new Report(when(r.createdAt(), zone), r.url(), r.kind().equals("inappropriate") ? "should be blocked"
              : "should be allowed", r.createdBy(), outcome, r.decisionReason() == null ? "" : r.decisionReason()));
        }
      }
      Map<YearMonth, Map<String, Long>> perMonth = new TreeMap<>();
      Map<String, Long> perKind = new LinkedHashMap<>();
      YearMonth first = YearMonth.from(from);
      int months = (int) first.until(YearMonth.from(to), java.time.temporal.ChronoUnit.MONTHS) + 1;
      long attempts = 0;
      for (int m = 0; m < months; m++) {
        YearMonth month = first.plusMonths(m);
        LocalDate start = month.atDay(1).isBefore(from) ? from : month.atDay(1);
        LocalDate end = month.plusMonths(1).atDay(1).isAfter(to.plusDays(1)) ? to.plusDays(1) : month.plusMonths(1).atDay(1);
        String s = Timestamps.format(start.atStartOfDay(zone).toInstant(), zone);
        String e = Timestamps.format(end.atStartOfDay(zone).toInstant(), zone);
        for (String kind : KINDS) {
          long n = ops.events().count(kind, s, e);
          if (n > 0) {
            perMonth.computeIfAbsent(month, x -> new LinkedHashMap<>()).put(kind, n);
            perKind.merge(kind, n, Long::sum);
            attempts += n;
          }
        }
      }
      List<Legend> legend = new ArrayList<>();
      for (int i = 0; i < KINDS.size(); i++) {
        legend.add(new Legend(Charts.colour(i), Words.attempt(KINDS.get(i)), perKind.getOrDefault(KINDS.get(i), 0L)));
      }
      String chart = Charts.perMonth(first, months, KINDS, perMonth,
          "Attempts to get round the filter per month and kind: " + attempts + " in all", "attempts-chart");
      List<Supervised> supervised = new ArrayList<>();
      List<Rows.Event> events = new ArrayList<>(ops.events().list(new Store.EventQuery("supervised", null, fromTs, SECTION)));
      long moreSupervised = events.size() < SECTION ? 0 : ops.events().count("supervised", fromTs, untilTs) - SECTION;
      java.util.Collections.reverse(events);
      for (Rows.Event e : events) {
        if (e.ts().compareTo(untilTs) < 0) {
          supervised.add(new Supervised(when(e.ts(), zone), device(e.user(), names.nameOf(e.client(), e.mac()), e.client()),
              Words.detail(e.detail())));
        }
      }
      Map<String, Map<String, List<Site>>> sites = new LinkedHashMap<>();
      List<Allowed> allowed = new ArrayList<>();
      long blocked = 0;
      long background = 0;
      for (Rows.Count c : ops.counters().totals(from.toString(), to.toString())) {
        if (c.decision().equals("block") && Background.is(c.site())) {
          background += c.n();
        } else if (c.decision().equals("block")) {
          sites.computeIfAbsent(c.group(), g -> new TreeMap<>()).computeIfAbsent(c.category(), k -> new ArrayList<>())
              .add(new Site(c.site(), c.n()));
          blocked += c.n();
        } else {
          allowed.add(new Allowed(c.group(), plain(c.category()), c.n()));
        }
      }
      List<Top> top = new ArrayList<>();
      sites.forEach((group, byCategory) -> byCategory.forEach((category, list) -> {
        list.sort(Comparator.comparingLong(Site::blocked).reversed().thenComparing(Site::site));
        top.add(new Top(group, plain(category), list.stream().mapToLong(Site::blocked).sum(),
            List.copyOf(list.subList(0, Math.min(TOP, list.size())))));
      }));
      top.sort(Comparator.comparing(Top::group).thenComparing(Comparator.comparingLong(Top::blocked).reversed()));
      allowed.sort(Comparator.comparing(Allowed::group).thenComparing(Comparator.comparingLong(Allowed::allowed).reversed()));
      List<AlertLine> alerts = new ArrayList<>();
      List<Rows.Alert> alertRows = new ArrayList<>(ops.alerts().list(fromTs, untilTs, SECTION + 1, null));
      long moreAlerts = Math.max(0, alertRows.size() - SECTION); // at least this many: the page says "more"
      alertRows = alertRows.subList(0, Math.min(SECTION, alertRows.size()));
      java.util.Collections.reverse(alertRows);
      for (Rows.Alert a : alertRows) {
        String device = a.deviceLabel();
        alerts.add(new AlertLine(when(a.ts(), zone), cut(Words.detail(a.what())), device, a.count(),
            a.state().equals("delivered") ? "sent " + when(a.deliveredAt(), zone) : "not sent yet"));
      }
      List<Allowance> allowances = new ArrayList<>();
      long moreAllowances = 0;
      for (Rows.OverrideRow o : ops.rules().overrides()) {
        if (within(o.createdAt(), fromTs, untilTs) && allowances.size() >= SECTION) {
          moreAllowances++;
        } else if (within(o.createdAt(), fromTs, untilTs)) {
          allowances.add(new Allowance(when(o.createdAt(), zone), Words.allowedFor(o), Words.allowed(o), when(o.until(), zone),
              o.reason(), o.createdBy()));
        }
      }
      List<Group> groups = new ArrayList<>();
      config.groups().forEach((name, g) -> groups.add(new Group(
          name + (name.equals(config.defaultGroup()) ? " (and every device in no listed network)" : ""),
          Words.categories(g.block()), Words.categories(g.blockInLessons()), Summary.searchAndVideo(g))));
      var t = config.timetable();
      String timetable = "Lessons are on " + String.join(", ", t.days().stream().sorted()
          .map(d -> d.getDisplayName(TextStyle.FULL, Locale.UK)).toList()) + ", " + t.schoolDay() + ", apart from the breaks ("
          + (t.breaks().isEmpty() ? "none" : String.join(", ", t.breaks().stream().map(Object::toString).toList()))
          + "), in the time zone " + zone.getId() + ".";
      String period = DAY.format(from) + " to " + DAY.format(to);
      List<String> summary = Summary.of(ops, fromTs, untilTs, blocked, background, changes.size() + moreChanges,
          alertRows.size() + moreAlerts, moreAlerts > 0, supervised.size() + moreSupervised);
      return new Page("Annual review of the web filter", config.site(), period, from.toString(), to.toString(), summary,
          WHEN.format(now.atZone(zone)), groups, timetable,
          config.allow().isEmpty() ? "none" : String.join(", ", config.allow()), changes, reports, chart, legend, attempts,
          supervised, top, blocked, background, allowed, alerts, allowances,
          new Omitted(moreChanges, moreReports, moreSupervised, moreAlerts, moreAllowances), css);
    }).join();
  }

  /** The page as HTML: served by the console, or written to a file by the {@code review} command. */
  public static String render(Page page) {
    return org.schoolgate.console.Templates.render("review.jte", Map.of("review", page));
  }

  /** The console's style sheet, for a page that is opened from a file rather than from the console. */
  public static String styleSheet() throws IOException {
    try (InputStream in = Review.class.getResourceAsStream("/org/schoolgate/console/assets/console.css")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * A device as the review names it: "user (name, address)" when someone was signed in on it by
   * RADIUS accounting (SPEC 15), "user (address)" without a name; else "name (address)" or the address.
   */
  static String device(String user, String name, String address) {
    if (user != null) {
      return user + " (" + (name == null ? address : name + ", " + address) + ")";
    }
    return name == null ? address : name + " (" + address + ")";
  }

  /** An alert's text as the page shows it: at most {@link Rows#TEXT_SHOWN} characters. */
  private static String cut(String text) {
    return text == null || text.length() <= Rows.TEXT_SHOWN ? text : text.substring(0, Rows.TEXT_SHOWN - 1) + "\u2026";
  }

  private static boolean within(String ts, String from, String until) {
    return ts != null && ts.compareTo(from) >= 0 && ts.compareTo(until) < 0;
  }

  private static String plain(String category) {
    return category.isEmpty() ? "no category" : Categories.plain(category);
  }

  private static String when(String ts, ZoneId zone) {
    return ts == null ? "" : Words.when(ts, zone, Instant.EPOCH); // always with the year: a review spans two
  }
}
