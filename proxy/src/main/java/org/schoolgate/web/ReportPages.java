package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.schoolgate.web.Forms.await;
import static org.schoolgate.web.Forms.first;
import static org.schoolgate.web.Forms.param;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.schoolgate.console.Items;
import org.schoolgate.console.templates.JtereportGenerated;
import org.schoolgate.console.templates.JtereportsGenerated;
import org.schoolgate.proxy.Categories;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.Roles;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.console.templates.JtedecidedGenerated;

/**
 * The console's reports (SPEC section 8): "Report a site" for every account with the reports it
 * filed, and the queue of reports waiting for the headteacher with approve and dismiss.
 */
final class ReportPages {
  private final AdminService service;
  private final PageWords words;

  ReportPages(AdminService service, PageWords words) {
    this.service = service;
    this.words = words;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/report", Roles.ALL, this::report)
        .page(POST, "/report", Roles.ALL, this::file)
        .page(GET, "/reports", Roles.MANAGERS, this::reports)
        .page(GET, "/reports/decided", Roles.MANAGERS, this::decided)
        .page(POST, "/reports/{id}/approve", Roles.MANAGERS, r -> decide(r, true))
        .page(POST, "/reports/{id}/dismiss", Roles.MANAGERS, r -> decide(r, false));
  }

  Page report(RouteTable.Request r) {
    String url = param(r.uri(), "url");
    String category = param(r.uri(), "category");
    String ref = param(r.uri(), "ref");
    String note = "";
    if (ref != null) {
      note = "Block page reference " + ref + (category == null ? "" : " (blocked as " + Categories.plain(category) + ")") + ". ";
    }
    List<Items.FiledReport> mine = new ArrayList<>();
    for (Rows.Report filed : await(service.reports(null, null, r.user(), 0, Items.Paging.SIZE))) {
      String state = switch (filed.status()) {
        case "open" -> "waiting for a decision";
        case "approved" -> filed.kind().equals("inappropriate") ? "approved: the site is now blocked"
            : "approved: the site is now allowed";
        default -> "not taken up";
      };
      mine.add(new Items.FiledReport(filed.id(), filed.url(), PageWords.kindWords(filed.kind()), words.when(filed.createdAt()),
          state, filed.decisionReason() == null ? "" : filed.decisionReason()));
    }
    boolean unblock = ref != null || "unblock".equals(param(r.uri(), "kind"));
    String said = note;
    return Page.of("Report a site", "report",
        (out, v) -> JtereportGenerated.render(out, null, v, url == null ? "" : url, unblock, said, mine));
  }

  private Page file(RouteTable.Request r) {
    Map<String, List<String>> form = r.form();
    return Actions.done(r, "/report", () -> {
      Rows.Report filed = await(service.addReport(r.user(), first(form, "url"), first(form, "kind"), first(form, "note")));
      return "Thank you. Your report about " + filed.host() + " has gone to the headteacher.";
    });
  }

  private Page reports(RouteTable.Request r) {
    List<Items.WaitingReport> waiting = new ArrayList<>();
    List<Rows.Report> rows = await(service.reports("open", param(r.uri(), "site"), null, Pager.before(r.uri()),
        Items.Paging.SIZE));
    for (Rows.Report w : rows) {
      waiting.add(new Items.WaitingReport(w.id(), w.host(), w.url(), words.categoryWords(w.host()),
          PageWords.kindWords(w.kind()), w.note(), w.createdBy(), words.when(w.createdAt())));
    }
    waiting.sort((a, b) -> Long.compare(a.id(), b.id())); // a page of the newest 50, shown oldest first: a queue
    Items.Paging paging = Pager.of(r.uri(), rows, Rows.Report::id);
    return Page.of("Reports waiting", "reports", (out, v) -> JtereportsGenerated.render(out, null, v, waiting, paging));
  }

  /** The reports decided, newest first, a page at a time (issue 24 item 9). */
  private Page decided(RouteTable.Request r) {
    List<Rows.Report> rows = await(service.reports(Store.DECIDED, null, null, Pager.before(r.uri()), Items.Paging.SIZE));
    List<Items.DecidedReport> list = new ArrayList<>();
    for (Rows.Report d : rows) {
      String decision = !d.status().equals("approved") ? "Dismissed"
          : d.kind().equals("inappropriate") ? "Approved: blocked for everyone" : "Approved: allowed for everyone";
      list.add(new Items.DecidedReport(d.id(), d.host(), d.url(), PageWords.kindWords(d.kind()), d.createdBy(),
          words.when(d.createdAt()), decision, d.decidedBy() == null ? "" : d.decidedBy(),
          d.decidedAt() == null ? "" : words.when(d.decidedAt()), d.decisionReason() == null ? "" : d.decisionReason()));
    }
    Items.Paging paging = Pager.of(r.uri(), rows, Rows.Report::id);
    return Page.of("Reports decided", "reports", (out, v) -> JtedecidedGenerated.render(out, null, v, list, paging));
  }

  private Page decide(RouteTable.Request r, boolean approve) {
    return Actions.done(r, "/reports", () -> {
      long id = Actions.number(r.capture("id"));
      Rows.Report decided = await(service.decide(r.user(), id, approve, first(r.form(), "reason")));
      if (!approve) {
        return "Report " + id + " about " + decided.host() + " was dismissed.";
      }
      return decided.kind().equals("inappropriate") ? "Report " + id + " approved: " + decided.host() + " is now blocked for everyone."
          : "Report " + id + " approved: " + decided.host() + " is now allowed for everyone.";
    });
  }
}
