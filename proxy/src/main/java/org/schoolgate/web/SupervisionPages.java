package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.schoolgate.web.Forms.await;
import static org.schoolgate.web.Forms.param;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.schoolgate.admin.ApiError;
import org.schoolgate.console.Charts;
import org.schoolgate.console.Items;
import org.schoolgate.console.Words;
import org.schoolgate.console.templates.JteattemptsGenerated;
import org.schoolgate.console.templates.JtedevicesGenerated;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.rules.AddressInput;
import org.schoolgate.rules.Roles;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.supervision.Supervision;

/**
 * The console's supervision pages (SPEC section 10): the devices under supervision with "release",
 * and the attempts to get round the filter with their chart of the last {@value #CHART_DAYS} days.
 */
final class SupervisionPages {
  static final int CHART_DAYS = 30;
  static final List<String> ATTEMPT_KINDS = Arrays.stream(CircumventionKind.values()).map(CircumventionKind::wire).toList();

  private final Supervision supervision;
  private final PageWords words;

  SupervisionPages(Supervision supervision, PageWords words) {
    this.supervision = supervision;
    this.words = words;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/devices", Roles.MANAGERS, this::devices)
        .page(GET, "/attempts", Roles.MANAGERS, r -> attempts(r.uri()));
  }

  private Page devices(RouteTable.Request r) {
    List<Items.Device> list = new ArrayList<>();
    Pager.Slice<Rows.Device> slice = Pager.slice(r.uri(), await(supervision.devices()));
    for (Rows.Device d : slice.rows()) {
      list.add(new Items.Device(d.address(), words.when(d.since()), d.attempts(), Words.attempts(d.kinds()),
          Words.mode(d.mode()), words.label(d.address(), d.mac())));
    }
    return Page.of("Devices under supervision", "devices", (out, v) -> JtedevicesGenerated.render(out, null, v, list, slice.paging()));
  }

  private Page attempts(QueryStringDecoder uri) {
    String kind = param(uri, "kind");
    if (kind != null && CircumventionKind.fromWire(kind) == null) {
      kind = null;
    }
    String device = param(uri, "device");
    String client = null;
    String problem = null;
    if (device != null) {
      try {
        client = AddressInput.parse(device).getHostAddress();
      } catch (ApiError e) {
        problem = e.getMessage();
      }
    }
    List<Items.Attempt> rows = new ArrayList<>();
    String site = param(uri, "site");
    List<Rows.Event> events = problem != null ? List.of()
        : await(supervision.events(new Store.EventQuery(kind, client, null, 200, site)));
    for (Rows.Event e : events) {
      String who = words.label(e.client(), e.mac()) + (e.user() == null ? "" : ", used by " + e.user());
      rows.add(new Items.Attempt(words.when(e.ts()), who, e.group(), Words.attempt(e.kind()), e.host(),
          Words.detail(e.detail())));
    }
    List<String> kinds = ATTEMPT_KINDS;
    LocalDate first = words.today().minusDays(CHART_DAYS - 1);
    Map<LocalDate, Map<String, Long>> counts = new TreeMap<>();
    long total = 0;
    for (Rows.DayCount c : await(supervision.eventsPerDay(kinds, first, CHART_DAYS))) {
      counts.computeIfAbsent(LocalDate.parse(c.day()), d -> new LinkedHashMap<>()).put(c.kind(), c.count());
      total += c.count();
    }
    List<Items.Choice> kindChoices = new ArrayList<>();
    List<Items.Choice> legend = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      kindChoices.add(new Items.Choice(kinds.get(i), Words.attempt(kinds.get(i)), kinds.get(i).equals(kind)));
      legend.add(new Items.Choice(Charts.colour(i), Words.attempt(kinds.get(i)), false));
    }
    String chart = Charts.perDay(first, CHART_DAYS, kinds, counts,
        "Attempts to get round the filter per day and kind, last " + CHART_DAYS + " days: " + total + " in all");
    String shownDevice = device == null ? "" : device;
    String shownSite = site == null ? "" : site;
    String why = problem;
    long all = total;
    return Page.of("Attempts to get round the filter", "attempts", (out, v) -> JteattemptsGenerated.render(out, null, v,
        rows, kindChoices, legend, shownDevice, shownSite, why, all, chart, words.trust()));
  }
}
