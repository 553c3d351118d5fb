package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static org.schoolgate.web.Forms.await;
import static org.schoolgate.web.Forms.param;

import java.util.ArrayList;
import java.util.List;
import org.schoolgate.console.Items;
import org.schoolgate.console.templates.JtealertsGenerated;
import org.schoolgate.console.templates.JtereviewGenerated;
import org.schoolgate.rules.Roles;
import org.schoolgate.safeguarding.Safeguarding;
import org.schoolgate.store.Rows;

/** The console's safeguarding pages (SPEC 11): the alerts sent to the safeguarding lead, and how each was delivered. */
final class SafeguardingPages {
  private static final int SHOWN = 200;

  /** The longest period one review covers. */
  static final int MAX_DAYS = 3 * 366;

  private final Safeguarding safeguarding;
  private final org.schoolgate.config.Config config;
  private final java.time.Clock clock;
  private final PageWords words;

  SafeguardingPages(Safeguarding safeguarding, org.schoolgate.config.Config config, java.time.Clock clock, PageWords words) {
    this.safeguarding = safeguarding;
    this.config = config;
    this.clock = clock;
    this.words = words;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/alerts", Roles.MANAGERS, r -> alerts())
        .page(GET, "/review", Roles.MANAGERS, r -> review(param(r.uri(), "from"), param(r.uri(), "to")));
  }

  /**
   * The annual review for {@code from} to {@code to} (both {@code YYYY-MM-DD}, included); without them, the
   * year to today. One printable page, outside the console's layout.
   */
  Page review(String fromText, String toText) {
    java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), config.timezone());
    java.time.LocalDate from;
    java.time.LocalDate to;
    to = toText == null ? today : org.schoolgate.values.DateBounds.date(toText);
    from = fromText == null || to == null ? (to == null ? null : to.minusYears(1).plusDays(1))
        : org.schoolgate.values.DateBounds.date(fromText);
    if (to == null || from == null) {
      return problem("That is not a date", "Please give the dates as YYYY-MM-DD from " + org.schoolgate.values.DateBounds.FIRST_YEAR
          + " to " + org.schoolgate.values.DateBounds.LAST_YEAR + ", for example /review?from=2025-09-01&to=2026-08-31.");
    }
    if (to.isBefore(from) || from.plusDays(MAX_DAYS).isBefore(to)) {
      return problem("That period cannot be reviewed", "The end must be on or after the start, and a review covers three years at most.");
    }
    org.schoolgate.console.ReviewView.Page page = org.schoolgate.review.Review.build(safeguarding.store(), config, from, to,
        clock.instant(), null);
    return Page.of(page.title(), "review", (out, v) -> JtereviewGenerated.render(out, null, page));
  }

  Page alerts() {
    List<Items.Alert> list = new ArrayList<>();
    for (Rows.Alert a : await(safeguarding.alertRows(SHOWN))) {
      list.add(item(a));
    }
    return Page.of("Safeguarding alerts", "alerts", (out, v) -> JtealertsGenerated.render(out, null, v, list));
  }

  private static Page problem(String headline, String sentence) {
    return Page.problem(400, headline, sentence);
  }

  Items.Alert item(Rows.Alert a) {
    String device = a.deviceLabel();
    String what = switch (a.kind()) {
      case "supervised" -> "Put under supervision";
      case "category" -> "Blocked from a sensitive site";
      case "report" -> "A site was reported";
      case "lists" -> "A category list is out of date";
      default -> a.kind();
    };
    String state = a.state().equals("delivered") ? "sent " + words.when(a.deliveredAt())
        : a.attempts() == 0 ? "waiting to be sent" : "not sent yet (tried " + a.attempts() + (a.attempts() == 1 ? " time" : " times")
            + (a.lastError() == null ? "" : ": " + a.lastError()) + ")";
    return new Items.Alert(words.when(a.ts()), what, device, a.group(), org.schoolgate.console.Words.detail(a.what()), a.count(), a.ref() == null ? "" : a.ref(), state,
        a.state().equals("delivered"));
  }

}
