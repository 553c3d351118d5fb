package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static org.schoolgate.web.Forms.await;

import java.time.Instant;
import org.schoolgate.console.templates.JtehomeGenerated;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.Roles;
import org.schoolgate.safeguarding.Safeguarding;
import org.schoolgate.store.Rows;
import org.schoolgate.supervision.Supervision;

/**
 * The console's first page: for the headteacher and the network manager, the overview (reports
 * waiting, devices under supervision, allowances in force, attempts today); for staff, "Report a site".
 */
final class HomePage {
  private final AdminService service;
  private final Supervision supervision;
  private final ReportPages reports;
  private final PageWords words;

  HomePage(AdminService service, Supervision supervision, ReportPages reports, PageWords words) {
    this.service = service;
    this.supervision = supervision;
    this.reports = reports;
    this.words = words;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/", Roles.ALL, r -> r.manager() ? home() : reports.report(r));
  }

  private Page home() {
    long open = await(service.countReports("open"));
    long supervised = await(supervision.devices()).size();
    Instant now = words.now();
    long allowances = await(service.overrides()).stream().filter(o -> Safeguarding.instant(o.until()).isAfter(now)).count();
    long attemptsToday = await(supervision.eventsPerDay(SupervisionPages.ATTEMPT_KINDS, words.today(), 1)).stream()
        .mapToLong(Rows.DayCount::count).sum();
    return Page.of("Overview", "home",
        (out, v) -> JtehomeGenerated.render(out, null, v, open, supervised, allowances, attemptsToday));
  }
}
