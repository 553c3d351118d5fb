package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static org.schoolgate.web.Forms.await;
import static org.schoolgate.web.Forms.param;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.console.Items;
import org.schoolgate.console.Words;
import org.schoolgate.console.templates.JtehomeGenerated;
import org.schoolgate.console.templates.JteoverviewactGenerated;
import org.schoolgate.review.Today;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.Roles;
import org.schoolgate.safeguarding.Safeguarding;
import org.schoolgate.store.Rows;
import org.schoolgate.supervision.Supervision;

/**
 * The console's first page: for the headteacher and the network manager, the overview (issue
 * 24.11): today at a glance (visits and the share blocked, the most blocked sites, the busiest
 * devices, today's blocks with why and "block" or "allow"), then reports waiting, devices under
 * supervision, allowances in force and attempts today; for staff, "Report a site".
 */
final class HomePage {
  /** Sites and devices the overview lists. */
  static final int TOP = 10;

  private final AdminService service;
  private final Supervision supervision;
  private final ReportPages reports;
  private final PageWords words;
  private final Today today;

  HomePage(AdminService service, Supervision supervision, ReportPages reports, PageWords words, Today today) {
    this.service = service;
    this.supervision = supervision;
    this.reports = reports;
    this.words = words;
    this.today = today == null ? new Today(java.time.ZoneOffset.UTC) : today;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/", Roles.ALL, r -> r.manager() ? home(r) : reports.report(r))
        .page(GET, "/today/act", Roles.MANAGERS, this::act);
  }

  private Page home(RouteTable.Request r) {
    long open = await(service.countReports("open"));
    long supervised = await(supervision.devices()).size();
    Instant now = words.now();
    long allowances = await(service.overrides()).stream().filter(o -> Safeguarding.instant(o.until()).isAfter(now)).count();
    long attemptsToday = await(supervision.eventsPerDay(SupervisionPages.ATTEMPT_KINDS, words.today(), 1)).stream()
        .mapToLong(Rows.DayCount::count).sum();
    Today.Glance g = today.glance(words.today(), TOP);
    String search = bounded(param(r.uri(), "q"));
    List<Today.Line> lines = today.blocks(words.today(), search, Pager.before(r.uri()), Items.Paging.SIZE);
    List<Items.TodayBlock> rows = new ArrayList<>();
    for (Today.Line l : lines) {
      String device = (l.name() == null ? l.client() : l.name() + " (" + l.client() + ")")
          + (l.user() == null ? "" : ", used by " + l.user());
      rows.add(new Items.TodayBlock(words.time(l.ts()), device, l.group() == null ? "" : l.group(), l.host(),
          Words.why(l.category(), l.rule(), l.host()), l.client(), l.ref() == null ? "" : l.ref()));
    }
    Items.Paging paging = Pager.of(r.uri(), lines, Today.Line::seq);
    Items.Glance glance = new Items.Glance(g.visits(), g.blocked(), share(g.blocked(), g.visits()), g.background(),
        g.sites().stream().map(c -> new Items.Choice(Long.toString(c.n()), c.label(), false)).toList(),
        g.devices().stream().map(c -> new Items.Choice(Long.toString(c.n()), c.label(), false)).toList());
    Items.Waiting waiting = new Items.Waiting(open, supervised, allowances, attemptsToday);
    String shown = search == null ? "" : search;
    return Page.of("Overview", "home", (out, v) -> JtehomeGenerated.render(out, null, v, waiting, glance, rows, shown, paging));
  }

  /** "Block" or "allow" a site from a line of today's log: a page that says what will happen and asks why. */
  private Page act(RouteTable.Request r) {
    String host = bounded(param(r.uri(), "host"));
    String device = bounded(param(r.uri(), "device"));
    boolean block = !"allow".equals(param(r.uri(), "do"));
    if (host == null || (!block && device == null)) {
      return Page.problem(400, "Which site?", "Please choose a line of today's blocks on the overview.");
    }
    Instant end = words.untils().get(0).at(); // the end of this lesson, else of the school day, else an hour
    String until = service.format(end);
    String untilWords = words.time(end);
    return Page.of(block ? "Block " + host + " for everyone" : "Allow " + host + " on this device", "home",
        (out, v) -> JteoverviewactGenerated.render(out, null, v, block, host, device == null ? "" : device, until, untilWords));
  }

  private static String bounded(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    return t.length() > 253 ? t.substring(0, 253) : t;
  }

  private static String share(long part, long all) {
    if (all == 0) {
      return "none";
    }
    long pct = Math.round(100.0 * part / all);
    return pct == 0 && part > 0 ? "under 1%" : pct + "%";
  }
}
