package org.schoolgate.admin;

import static org.schoolgate.admin.Console.await;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.schoolgate.console.Items;
import org.schoolgate.store.Rows;

/** The console's safeguarding pages (SPEC 11): the alerts sent to the safeguarding lead, and how each was delivered. */
final class SafeguardingPages {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.UK);
  private static final int SHOWN = 200;

  private final Safeguarding safeguarding;
  private final ZoneId zone;

  SafeguardingPages(Safeguarding safeguarding, ZoneId zone) {
    this.safeguarding = safeguarding;
    this.zone = zone;
  }

  ConsolePages.Page alerts() {
    List<Items.Alert> list = new ArrayList<>();
    for (Rows.Alert a : await(safeguarding.alertRows(SHOWN))) {
      list.add(item(a));
    }
    return ConsolePages.Page.of("alerts.jte", "Safeguarding alerts", "alerts", Map.of("alerts", list));
  }

  Items.Alert item(Rows.Alert a) {
    String device = a.device().isEmpty() ? "" : a.name() != null ? a.name() + " (" + a.device() + ")" : a.device();
    String what = switch (a.kind()) {
      case "supervised" -> "Put under supervision";
      case "category" -> "Blocked from a sensitive site";
      case "report" -> "A site was reported";
      default -> a.kind();
    };
    String state = a.state().equals("delivered") ? "sent " + when(a.deliveredAt())
        : a.attempts() == 0 ? "waiting to be sent" : "not sent yet (tried " + a.attempts() + (a.attempts() == 1 ? " time" : " times")
            + (a.lastError() == null ? "" : ": " + a.lastError()) + ")";
    return new Items.Alert(when(a.ts()), what, device, a.group(), a.what(), a.count(), a.ref() == null ? "" : a.ref(), state,
        a.state().equals("delivered"));
  }

  String when(String ts) {
    return ts == null ? "" : WHEN.format(OffsetDateTime.parse(ts).atZoneSameInstant(zone));
  }
}
