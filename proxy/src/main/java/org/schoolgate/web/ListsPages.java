package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.admin.ApiError;
import org.schoolgate.console.ListRow;
import org.schoolgate.console.templates.JtelistsGenerated;
import org.schoolgate.lists.ListStatus;
import org.schoolgate.lists.Subscriptions;
import org.schoolgate.log.Timestamps;
import org.schoolgate.proxy.Categories;
import org.schoolgate.rules.Roles;

/**
 * The list subscriptions (SPEC section 13) for people and scripts: {@code GET /api/lists},
 * {@code POST /api/lists/{name}/update} and the console's Lists page with its "Update now" button.
 */
final class ListsPages {

  private final Subscriptions subscriptions;
  private final ZoneId zone;

  /** @param subscriptions null when the server has none to show (the page then says so) */
  ListsPages(Subscriptions subscriptions, ZoneId zone) {
    this.subscriptions = subscriptions;
    this.zone = zone;
  }

  private List<ListStatus> statuses() {
    return subscriptions == null ? List.of() : subscriptions.statuses();
  }

  void addTo(RouteTable.Builder b) {
    b.add(GET, "/api/lists", Roles.MANAGERS, this::list)
        .add(POST, "/api/lists/{name}/update", Roles.MANAGERS, this::update)
        .page(GET, "/lists", Roles.MANAGERS, r -> page())
        .page(POST, "/lists/{name}/update", Roles.MANAGERS, r -> act(r.capture("name"), r.session()));
  }

  // ---- API ----

  CompletableFuture<RouteTable.Response> list(RouteTable.Request r) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ListStatus s : statuses()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("url", s.url());
      m.put("format", s.format());
      m.put("licence", s.licence());
      m.put("enabled", s.enabled());
      m.put("state", s.state());
      m.put("last_attempt", ts(s.lastAttempt()));
      m.put("last_success", ts(s.lastSuccess()));
      m.put("last_error", s.lastError());
      m.put("etag", s.etag());
      m.put("sha256", s.sha256());
      m.put("entries", s.entries());
      m.put("next_attempt", ts(s.nextAttempt()));
      out.add(m);
    }
    return CompletableFuture.completedFuture(new RouteTable.Response(200, out));
  }

  CompletableFuture<RouteTable.Response> update(RouteTable.Request r) {
    String name = io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(r.capture("name"));
    if (subscriptions == null || !subscriptions.updateNow(name)) {
      throw new ApiError(404, "There is no enabled list subscription \"" + shorten(name) + "\"");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("status", "a fetch has started; GET /api/lists shows how it went");
    return CompletableFuture.completedFuture(new RouteTable.Response(202, body));
  }

  private String ts(Instant t) {
    return t == null ? null : Timestamps.format(t, zone);
  }

  // ---- console ----

  Page page() {
    List<ListRow> rows = new ArrayList<>();
    NumberFormat n = NumberFormat.getIntegerInstance(Locale.UK);
    for (ListStatus s : statuses()) {
      List<String> entries = new ArrayList<>();
      s.entries().forEach((category, count) -> entries.add(Categories.plain(category) + ": " + n.format(count)
          + (count == 1 ? " site" : " sites")));
      rows.add(new ListRow(s.name(), s.publisher(), s.url(), s.licence().isEmpty() ? "not stated" : s.licence(), s.state(),
          s.lastSuccess() == null ? "never" : words(s.lastSuccess()), s.lastError() == null ? "" : s.lastError(),
          s.nextAttempt() == null ? "" : words(s.nextAttempt()), entries, s.enabled(), s.lastError() != null));
    }
    String window = subscriptions == null ? "01:00 and 05:00"
        : subscriptions.config().window().start() + " and " + subscriptions.config().window().end();
    return Page.of("Category lists", "lists", (out, v) -> JtelistsGenerated.render(out, null, v, rows, window));
  }

  /** The "Update now" button: {@code /lists/NAME/update}. */
  Page act(String name, Sessions.Session s) {
    if (subscriptions != null && subscriptions.updateNow(name)) {
      s.flash("The list " + name + " is being downloaded now. Reload this page in a minute to see how it went.", false);
    } else {
      s.flash("There is no list called " + shorten(name) + " that is turned on.", true);
    }
    return Page.redirect("/lists");
  }

  private String words(Instant t) {
    return org.schoolgate.console.Words.withYear(t, zone);
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
