package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.schoolgate.web.Forms.await;
import static org.schoolgate.web.Forms.first;
import static org.schoolgate.web.Forms.param;

import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.InetAddress;
import java.util.List;
import org.schoolgate.admin.Bounds;
import org.schoolgate.console.Items;
import org.schoolgate.console.Words;
import org.schoolgate.console.templates.JteconfirmGenerated;
import org.schoolgate.rules.AddressInput;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.Roles;
import org.schoolgate.store.Rows;
import org.schoolgate.supervision.Supervision;

/**
 * The console's changes that undo a protection (issue 24 item 8): removing a block, ending an
 * allowance early and releasing a device from supervision. The list's button opens a page that
 * says in plain words what will happen and asks why (required, bounded as every reason is); the
 * reason goes into the audit trail. Nothing changes on one click.
 */
final class Confirmations {
  private final AdminService service;
  private final Supervision supervision;
  private final PageWords words;

  Confirmations(AdminService service, Supervision supervision, PageWords words) {
    this.service = service;
    this.supervision = supervision;
    this.words = words;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/blocks/remove", Roles.MANAGERS, this::confirmUnblock)
        .page(POST, "/blocks/remove", Roles.MANAGERS, this::unblock)
        .page(GET, "/allow/end", Roles.MANAGERS, this::confirmEnd)
        .page(POST, "/allow/end", Roles.MANAGERS, this::end)
        .page(GET, "/devices/release", Roles.MANAGERS, this::confirmRelease)
        .page(POST, "/devices/release", Roles.MANAGERS, this::release);
  }

  private Page confirmUnblock(RouteTable.Request r) {
    String domain = param(r.uri(), "domain");
    Rows.Block block = domain == null ? null
        : await(service.blocks()).stream().filter(x -> x.domain().equals(domain)).findFirst().orElse(null);
    if (block == null) {
      return Page.problem(404, "That site is not blocked by the school", "There is nothing to remove: it may have been removed already.");
    }
    String sentence = "Pupils and staff will be able to open " + block.domain() + " again, unless one of the category lists"
        + " blocks it. It was blocked by " + block.addedBy() + " on " + words.when(block.addedAt()) + " because: \u201c"
        + block.reason() + "\u201d.";
    return confirm("Remove the block on " + block.domain() + "?", "blocks", "/blocks/remove", "domain", block.domain(), sentence,
        "Yes, remove the block", "/blocks");
  }

  private Page unblock(RouteTable.Request r) {
    String domain = first(r.form(), "domain");
    return Actions.form(r, back("/blocks/remove", "domain", domain), "reason", "/blocks", () -> {
      String why = Invalid.of("reason", () -> Bounds.reason(first(r.form(), "reason")));
      boolean removed = await(service.removeBlock(r.user(), domain == null ? "" : domain, why));
      return removed ? domain + " is no longer blocked by the school (the category lists still apply)."
          : domain + " was not blocked.";
    });
  }

  private Page confirmEnd(RouteTable.Request r) {
    String id = param(r.uri(), "id");
    Rows.OverrideRow o = id == null ? null
        : await(service.overrides()).stream().filter(x -> Long.toString(x.id()).equals(id)).findFirst().orElse(null);
    if (o == null) {
      return Page.problem(404, "There is no such allowance", "It may have ended already.");
    }
    String sentence = Words.allowedFor(o) + " will no longer be allowed " + Words.allowed(o) + " from now (it was allowed until "
        + words.when(o.until()) + " because: \u201c" + o.reason() + "\u201d). The filter's usual rules apply again at once.";
    return confirm("End this allowance now?", "allow", "/allow/end", "id", id, sentence, "Yes, end it now", "/allow");
  }

  private Page end(RouteTable.Request r) {
    String id = first(r.form(), "id");
    return Actions.form(r, back("/allow/end", "id", id), "reason", "/allow", () -> {
      long n = Actions.number(id);
      String why = Invalid.of("reason", () -> Bounds.reason(first(r.form(), "reason")));
      return await(service.deleteOverride(r.user(), n, why)) ? "That allowance has ended." : "That allowance had already ended.";
    });
  }

  private Page confirmRelease(RouteTable.Request r) {
    String address = param(r.uri(), "address");
    Rows.Device d = address == null ? null
        : await(supervision.devices()).stream().filter(x -> x.address().equals(address)).findFirst().orElse(null);
    if (d == null) {
      return Page.problem(404, "That device is not under supervision", "There is nothing to release: it may have been released already.");
    }
    String label = words.label(d.address(), d.mac());
    String sentence = label + " will reach again everything its group may, not only the learning sites. What it tried stays in"
        + " Attempts; if it tries again, it is put back under supervision.";
    return confirm("Release " + label + "?", "devices", "/devices/release", "address", d.address(), sentence,
        "Yes, release it", "/devices");
  }

  private Page release(RouteTable.Request r) {
    String address = first(r.form(), "address");
    return Actions.form(r, back("/devices/release", "address", address), "reason", "/devices", () -> {
      InetAddress device = AddressInput.parse(address == null ? "" : address);
      String why = Invalid.of("reason", () -> Bounds.reason(first(r.form(), "reason")));
      return await(supervision.release(r.user(), device, why)) ? device.getHostAddress() + " is no longer under supervision."
          : device.getHostAddress() + " was not under supervision.";
    });
  }

  private static String back(String path, String name, String value) {
    QueryStringEncoder e = new QueryStringEncoder(path);
    e.addParam(name, value == null ? "" : value);
    return e.toString();
  }

  private static Page confirm(String title, String nav, String action, String name, String value, String sentence, String button,
                              String cancel) {
    List<Items.Choice> hidden = List.of(new Items.Choice(name, value, false));
    return Page.of(title, nav, (out, v) -> JteconfirmGenerated.render(out, null, v, action, hidden, sentence, button, cancel));
  }
}
