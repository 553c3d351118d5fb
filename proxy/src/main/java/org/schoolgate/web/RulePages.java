package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.schoolgate.web.Forms.await;
import static org.schoolgate.web.Forms.blankToNull;
import static org.schoolgate.web.Forms.first;
import static org.schoolgate.web.Forms.param;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.schoolgate.admin.Bounds;
import org.schoolgate.console.Items;
import org.schoolgate.console.Words;
import org.schoolgate.console.templates.JteallowGenerated;
import org.schoolgate.console.templates.JteauditGenerated;
import org.schoolgate.console.templates.JteblocksGenerated;
import org.schoolgate.console.templates.JtepolicyGenerated;
import org.schoolgate.policy.Policy;
import org.schoolgate.policy.PolicyConfig;
import org.schoolgate.proxy.Categories;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.DomainInput;
import org.schoolgate.rules.OverrideRequest;
import org.schoolgate.rules.Roles;
import org.schoolgate.safeguarding.Safeguarding;
import org.schoolgate.store.Rows;
import org.schoolgate.values.Cidr;
import org.schoolgate.values.Timetable;

/**
 * The console's admin rules (SPEC section 8): the blocked sites, "Allow for a lesson" and its
 * allowances, the audit trail and the filter's rules as configured. Read and changed through
 * {@link AdminService}, as the API does, so a rule lives in one place.
 */
final class RulePages {
  private final AdminService service;
  private final PageWords words;

  RulePages(AdminService service, PageWords words) {
    this.service = service;
    this.words = words;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/blocks", Roles.MANAGERS, this::blocks)
        .page(POST, "/blocks", Roles.MANAGERS, this::addBlock)
        .page(GET, "/allow", Roles.MANAGERS, this::allow)
        .page(POST, "/allow", Roles.MANAGERS, r -> Actions.form(r, "/allow", "sites", "/allow", () -> allowFor(r.user(), r.form())))
        .page(GET, "/audit", Roles.MANAGERS, this::audit)
        .page(GET, "/policy", Roles.MANAGERS, r -> policy());
  }

  private Page blocks(RouteTable.Request r) {
    List<Items.Block> list = new ArrayList<>();
    Pager.Slice<Rows.Block> slice = Pager.slice(r.uri(), await(service.blocks()));
    for (Rows.Block b : slice.rows()) {
      list.add(new Items.Block(b.domain(), b.reason(), b.addedBy(), words.when(b.addedAt()), b.reportId() != null,
          b.site() == null ? "" : b.site()));
    }
    return Page.of("Blocked sites", "blocks", (out, v) -> JteblocksGenerated.render(out, null, v, list, slice.paging(),
        words.trust()));
  }

  private Page addBlock(RouteTable.Request r) {
    return Actions.form(r, "/blocks", "url", "/blocks", () -> {
      String site = first(r.form(), "site");
      String url = Invalid.required(r.form(), "url", "Please paste the address of the website to block.");
      Invalid.of("url", () -> DomainInput.normalise(url));
      String why = Invalid.of("reason", () -> Bounds.reason(first(r.form(), "reason")));
      AdminService.BlockResult b = await(service.addBlock(r.user(), url, why, null,
          site == null || site.isBlank() ? null : site.strip()));
      if (!b.created()) {
        return b.block().domain() + " was already blocked.";
      }
      return b.block().site() == null ? b.block().domain() + " is now blocked for everyone."
          : b.block().domain() + " is now blocked at " + b.block().site() + ".";
    });
  }

  private Page allow(RouteTable.Request r) {
    Policy policy = service.engine().policy();
    List<Items.Choice> groups = new ArrayList<>();
    for (String g : policy.config().groups().keySet()) {
      groups.add(new Items.Choice(g, g, false));
    }
    List<Items.Choice> categories = new ArrayList<>();
    for (String c : policy.lists().names()) {
      if (!c.equals(Policy.CIRCUMVENTION)) {
        categories.add(new Items.Choice(c, Categories.plain(c), false));
      }
    }
    Instant now = words.now();
    List<Items.Allowance> current = new ArrayList<>();
    List<Rows.OverrideRow> inForce = await(service.overrides()).stream()
        .filter(o -> Safeguarding.instant(o.until()).isAfter(now)).toList();
    Pager.Slice<Rows.OverrideRow> slice = Pager.slice(r.uri(), inForce);
    for (Rows.OverrideRow o : slice.rows()) {
      current.add(new Items.Allowance(o.id(), Words.allowedFor(o), Words.allowed(o), words.when(o.until()), o.reason(),
          o.createdBy(), true));
    }
    List<Items.Choice> untils = untilChoices();
    return Page.of("Allow for a lesson", "allow",
        (out, v) -> JteallowGenerated.render(out, null, v, groups, categories, untils, current, slice.paging()));
  }

  /** The ends an allowance may have, the usual one chosen: see {@link PageWords#untils}. */
  private List<Items.Choice> untilChoices() {
    List<Items.Choice> out = new ArrayList<>();
    for (PageWords.Until u : words.untils()) {
      out.add(new Items.Choice(service.format(u.at()), u.words() + " (" + words.time(u.at()) + ")", out.isEmpty()));
    }
    return out;
  }

  private String allowFor(String user, Map<String, List<String>> form) {
    boolean device = "device".equals(first(form, "who"));
    String group = device ? null : first(form, "group");
    String client = device ? blankToNull(first(form, "device")) : null;
    if (device && client == null) {
      throw new Invalid("device", "Please give the device's address.");
    }
    List<String> categories = form.getOrDefault("categories", List.of());
    List<String> sites = new ArrayList<>();
    String typed = first(form, "sites");
    if (typed != null) {
      for (String line : typed.split("[\\s,]+")) {
        if (!line.isBlank()) {
          sites.add(line);
        }
      }
    }
    if (!categories.isEmpty() && !sites.isEmpty()) {
      throw new Invalid("sites", "Please allow either categories or sites, not both at once.");
    }
    if (categories.isEmpty() && sites.isEmpty()) {
      throw new Invalid("sites", "Please tick a category or type a site to allow.");
    }
    Invalid.of("reason", () -> Bounds.reason(first(form, "reason")));
    String until = first(form, "until");
    if ("custom".equals(until)) {
      until = customTime(first(form, "until_custom"));
    }
    Rows.OverrideRow row = await(service.addOverride(user, new OverrideRequest(group, client,
        categories.isEmpty() ? null : categories, sites.isEmpty() ? null : sites, until, first(form, "reason"))));
    return "Allowed " + Words.allowed(row) + " for " + Words.allowedFor(row) + " until " + words.when(row.until()) + ".";
  }

  /** The form's local date and time, read in the school's time zone by the same rule as the API ({@link AdminService#time}). */
  private static String customTime(String local) {
    if (local == null || local.isBlank()) {
      throw new Invalid("until_custom", "Please give the time the allowance ends.");
    }
    return local;
  }

  private Page audit(RouteTable.Request r) {
    String site = param(r.uri(), "site");
    List<Items.Change> list = new ArrayList<>();
    List<Rows.Audit> rows = await(service.audit(Pager.before(r.uri()), Items.Paging.SIZE, site));
    for (Rows.Audit a : rows) {
      list.add(new Items.Change(words.when(a.ts()), Words.actor(a.user()), Words.action(a.action()), Words.target(a.target()),
          Words.reason(a.reason())));
    }
    Items.Paging paging = Pager.of(r.uri(), rows, Rows.Audit::id);
    return Page.of("Audit trail", "audit",
        (out, v) -> JteauditGenerated.render(out, null, v, list, site == null ? "" : site, paging,
            words.trust()));
  }

  private Page policy() {
    PolicyConfig c = service.engine().policy().config();
    List<Items.GroupRules> groups = new ArrayList<>();
    c.groups().forEach((name, rules) -> groups.add(new Items.GroupRules(name,
        c.networks().getOrDefault(name, List.of()).stream().map(Cidr::toString).reduce((a, b) -> a + ", " + b)
            .orElse("(no network of its own)"),
        Words.categories(rules.block()), Words.categories(rules.blockInLessons()), name.equals(c.defaultGroup()))));
    Timetable t = c.timetable();
    List<Items.Choice> categories = new ArrayList<>();
    for (String name : service.engine().policy().lists().names()) {
      categories.add(new Items.Choice(name, Categories.plain(name), false));
    }
    Items.Policy view = new Items.Policy(groups,
        String.join(", ", t.days().stream().sorted().map(d -> d.getDisplayName(java.time.format.TextStyle.FULL, Locale.UK)).toList()),
        t.schoolDay().toString(), t.breaks().isEmpty() ? "none" : String.join(", ", t.breaks().stream().map(Object::toString).toList()),
        c.allow().isEmpty() ? "none" : String.join(", ", c.allow()),
        c.supervisionAllow().isEmpty() ? "nothing" : String.join(", ", c.supervisionAllow()), categories, c.timezone().getId());
    return Page.of("The filter's rules", "policy", (out, v) -> JtepolicyGenerated.render(out, null, v, view));
  }
}
