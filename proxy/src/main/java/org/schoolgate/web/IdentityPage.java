package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.schoolgate.console.Items;
import org.schoolgate.console.templates.JteidentitiesGenerated;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.IdentityListing;
import org.schoolgate.rules.Roles;

/**
 * The console's "Who is on which device" page (SPEC 15): the people RADIUS accounting says are
 * on each address now, fifty to a page, with their group, since when, and when the network last
 * said so. The same listing as {@code GET /api/identities}.
 */
final class IdentityPage {
  static final int PER_PAGE = 50;

  private IdentityPage() {}

  static void addTo(RouteTable.Builder b, AdminService service, PageWords words) {
    b.page(GET, "/identities", Roles.MANAGERS, r -> show(service, words, Forms.param(r.uri(), "page")));
  }

  static Page show(AdminService service, PageWords times, String pageParam) {
    int page = 1;
    if (pageParam != null) {
      try {
        page = Math.max(1, Math.min(20_000, Integer.parseInt(pageParam)));
      } catch (NumberFormatException e) {
        page = 1;
      }
    }
    IdentityListing.Page listing = IdentityListing.page(service, Integer.toString(PER_PAGE),
        Integer.toString((page - 1) * PER_PAGE)).join();
    boolean manySites = listing.identities().stream().map(o -> o.get("site")).distinct().count() > 1;
    List<Items.Identity> rows = new ArrayList<>();
    for (Map<String, Object> o : listing.identities()) {
      Object name = o.get("name");
      String device = name == null ? (String) o.get("address") : name + " (" + o.get("address") + ")";
      Object group = o.get("group");
      rows.add(new Items.Identity((String) o.get("user"), device, group == null ? "" : group.toString(),
          times.when((String) o.get("since")), times.when((String) o.get("updated")), manySites ? (String) o.get("site") : ""));
    }
    int previous = page > 1 ? page - 1 : 0;
    int next = (long) page * PER_PAGE < listing.total() ? page + 1 : 0;
    return Page.of("Who is on which device", "identities", (out, v) -> JteidentitiesGenerated.render(out, null, v, rows,
        manySites, listing.total(), previous, next));
  }
}
