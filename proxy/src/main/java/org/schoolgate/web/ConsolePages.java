package org.schoolgate.web;

import static org.schoolgate.web.Console.await;
import static org.schoolgate.web.Console.first;

import org.schoolgate.admin.ApiError;
import org.schoolgate.rules.OverrideRequest;
import org.schoolgate.safeguarding.Safeguarding;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.DecisionCheck;
import org.schoolgate.supervision.Supervision;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.schoolgate.console.Charts;
import org.schoolgate.console.Items;
import org.schoolgate.console.Words;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.policy.Policy;
import org.schoolgate.policy.PolicyConfig;
import org.schoolgate.proxy.Categories;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.values.Cidr;
import org.schoolgate.values.Timetable;

/**
 * What each console page shows and what each of its forms does, in a headteacher's words. Pages
 * read through {@link AdminService}, {@link Supervision} and {@link DecisionCheck}, the same as
 * the API, so a rule lives in one place. A form's outcome is a sentence kept in the session for
 * the page it redirects to.
 */
final class ConsolePages {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.UK);
  private static final Set<String> MANAGER_PAGES = Set.of("/reports", "/blocks", "/allow", "/check", "/devices",
      "/attempts", "/audit", "/policy", "/alerts", "/review", "/lists", "/identities");
  private static final int CHART_DAYS = 30;
  private static final List<String> ATTEMPT_KINDS =
      Arrays.stream(CircumventionKind.values()).map(CircumventionKind::wire).toList();

  /** A page to render (template and parameters) or, after a form, where to go. */
  record Page(int status, String template, String title, String nav, Map<String, Object> params, String redirect) {
    static Page of(String template, String title, String nav, Map<String, Object> params) {
      return new Page(200, template, title, nav, params, null);
    }

    static Page redirect(String to) {
      return new Page(303, null, null, null, Map.of(), to);
    }
  }

  private final AdminService service;
  private final Supervision supervision;
  private final DecisionCheck decisions;

  private final SafeguardingPages safeguarding;
  private final ListsPages lists;

  ConsolePages(AdminService service, Supervision supervision, SafeguardingPages safeguarding, ListsPages lists,
               DecisionCheck decisions) {
    this.safeguarding = safeguarding;
    this.lists = lists;
    this.service = service;
    this.supervision = supervision;
    this.decisions = decisions;
  }

  // ---- pages ----

  Page show(String path, QueryStringDecoder uri, Sessions.Session s) {
    boolean manager = isManager(s);
    if (MANAGER_PAGES.contains(path) && !manager) {
      return forbidden();
    }
    return switch (path) {
      case "/" -> manager ? home() : report(uri, s);
      case "/report" -> report(uri, s);
      case "/reports" -> reports(uri);
      case "/blocks" -> blocks();
      case "/allow" -> allow();
      case "/check" -> check(uri);
      case "/devices" -> devices();
      case "/attempts" -> attempts(uri);
      case "/audit" -> audit(uri);
      case "/policy" -> policy();
      case "/alerts" -> safeguarding.alerts();
      case "/lists" -> lists.page();
      case "/review" -> safeguarding.review(param(uri, "from"), param(uri, "to"));
      case "/identities" -> IdentityPage.show(service, safeguarding, param(uri, "page"));
      default -> null;
    };
  }

  private Page home() {
    long open = await(service.countReports("open"));
    long supervised = await(supervision.devices()).size();
    Instant now = now();
    long allowances = await(service.overrides()).stream().filter(o -> Safeguarding.instant(o.until()).isAfter(now)).count();
    long attemptsToday = await(supervision.eventsPerDay(ATTEMPT_KINDS, today(), 1)).stream()
        .mapToLong(Rows.DayCount::count).sum();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("openReports", open);
    p.put("supervised", supervised);
    p.put("allowances", allowances);
    p.put("attemptsToday", attemptsToday);
    return Page.of("home.jte", "Overview", "home", p);
  }

  private Page report(QueryStringDecoder uri, Sessions.Session s) {
    String url = param(uri, "url");
    String category = param(uri, "category");
    String ref = param(uri, "ref");
    String note = "";
    if (ref != null) {
      note = "Block page reference " + ref + (category == null ? "" : " (blocked as " + Categories.plain(category) + ")") + ". ";
    }
    List<Items.FiledReport> mine = new ArrayList<>();
    for (Rows.Report r : await(service.reports(null, null, s.who.name(), 0, Items.Paging.SIZE))) {
      String state = switch (r.status()) {
        case "open" -> "waiting for a decision";
        case "approved" -> r.kind().equals("inappropriate") ? "approved: the site is now blocked" : "approved: the site is now allowed";
        default -> "not taken up";
      };
      mine.add(new Items.FiledReport(r.id(), r.url(), kindWords(r.kind()), when(r.createdAt()), state,
          r.decisionReason() == null ? "" : r.decisionReason()));
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("url", url == null ? "" : url);
    p.put("unblock", ref != null || "unblock".equals(param(uri, "kind")));
    p.put("note", note);
    p.put("mine", mine);
    return Page.of("report.jte", "Report a site", "report", p);
  }

  private Page reports(QueryStringDecoder uri) {
    List<Items.WaitingReport> waiting = new ArrayList<>();
    List<Rows.Report> rows = await(service.reports("open", param(uri, "site"), null, Pager.before(uri),
        Items.Paging.SIZE));
    for (Rows.Report r : rows) {
      waiting.add(new Items.WaitingReport(r.id(), r.host(), r.url(), categoryWords(r.host()), kindWords(r.kind()), r.note(),
          r.createdBy(), when(r.createdAt())));
    }
    waiting.sort((a, b) -> Long.compare(a.id(), b.id())); // a page of the newest 50, shown oldest first: a queue
    return Page.of("reports.jte", "Reports waiting", "reports",
        Map.of("reports", waiting, "paging", Pager.of(uri, rows, Rows.Report::id)));
  }

  private Page blocks() {
    List<Items.Block> list = new ArrayList<>();
    for (Rows.Block b : await(service.blocks())) {
      list.add(new Items.Block(b.domain(), b.reason(), b.addedBy(), when(b.addedAt()), b.reportId() != null,
          b.site() == null ? "" : b.site()));
    }
    return Page.of("blocks.jte", "Blocked sites", "blocks", Map.of("blocks", list));
  }

  private Page allow() {
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
    Instant now = now();
    List<Items.Allowance> current = new ArrayList<>();
    for (Rows.OverrideRow o : await(service.overrides())) {
      if (Safeguarding.instant(o.until()).isAfter(now)) {
        current.add(new Items.Allowance(o.id(), Words.allowedFor(o), Words.allowed(o), when(o.until()), o.reason(),
            o.createdBy(), true));
      }
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("groups", groups);
    p.put("categories", categories);
    p.put("untils", untilChoices(policy.config().timetable(), now));
    p.put("current", current);
    return Page.of("allow.jte", "Allow for a lesson", "allow", p);
  }

  /** The end of the current lesson first (when there is one), then the end of the school day, then an hour from now. */
  private List<Items.Choice> untilChoices(Timetable timetable, Instant now) {
    List<Items.Choice> out = new ArrayList<>();
    Timetable.State state = timetable.stateAt(now);
    if (state.period() == Timetable.Period.LESSON) {
      out.add(new Items.Choice(service.format(state.until()), "the end of this lesson (" + time(state.until()) + ")", true));
    }
    LocalDate today = today();
    Instant dayEnd = today.atTime(timetable.schoolDay().end()).atZone(zone()).toInstant();
    if (dayEnd.isAfter(now)) {
      out.add(new Items.Choice(service.format(dayEnd), "the end of the school day (" + time(dayEnd) + ")", out.isEmpty()));
    }
    Instant hour = now.plusSeconds(3600);
    out.add(new Items.Choice(service.format(hour), "one hour from now (" + time(hour) + ")", out.isEmpty()));
    return out;
  }

  private Page check(QueryStringDecoder uri) {
    String device = param(uri, "device");
    String group = param(uri, "group");
    String url = param(uri, "url");
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("device", device == null ? "" : device);
    p.put("url", url == null ? "" : url);
    List<Items.Choice> groups = new ArrayList<>();
    for (String g : service.engine().policy().config().groups().keySet()) {
      groups.add(new Items.Choice(g, g, g.equals(group)));
    }
    p.put("groups", groups);
    Items.Check answer = null;
    String problem = null;
    if (url != null) {
      try {
        answer = explain(device, group, url);
      } catch (ApiError e) {
        problem = e.getMessage();
      }
    } else if (device != null || group != null) {
      problem = "Please give the address of the website to check.";
    }
    p.put("answer", answer);
    p.put("problem", problem);
    return new Page(problem == null ? 200 : 400, "check.jte", "Check a site", "check", p, null);
  }

  private Items.Check explain(String device, String group, String url) {
    String client = device;
    String who = device == null ? null : "the device " + label(device, null);
    if (client == null) {
      if (group == null) {
        throw new ApiError(400, "Please give a device's address or choose a group.");
      }
      client = memberOf(group);
      who = "the " + group + " group";
    }
    Map<String, Object> d = decisions.explain(client, url.contains("://") ? url : "https://" + url, null, null);
    boolean blocked = "block".equals(d.get("decision"));
    Object user = d.get("user");
    if (user != null && device != null) {
      who += ", used by " + user + ",";
    }
    String reason = String.valueOf(d.get("reason"));
    String host = String.valueOf(d.get("host"));
    StringBuilder sentence = new StringBuilder();
    sentence.append(blocked ? "Blocked: " : "Allowed: ").append(who).append(blocked ? " cannot open " : " can open ")
        .append(host).append(" now, because ").append(reason).append('.');
    Object reopens = d.get("reopens_at");
    if (reopens != null) {
      sentence.append(" It opens again at ").append(time(Safeguarding.instant(reopens.toString()))).append('.');
    }
    String category = d.get("category") == null ? "none" : Categories.plain(String.valueOf(d.get("category")));
    return new Items.Check(sentence.toString(), blocked, String.valueOf(d.get("group")), category,
        d.get("rule") == null ? "none" : String.valueOf(d.get("rule")), String.valueOf(d.get("period")),
        (String) d.get("dns"), user == null ? null : user.toString());
  }

  /** An address the policy places in {@code group}: the first address of its first network that does. */
  private String memberOf(String group) {
    PolicyConfig config = service.engine().policy().config();
    if (!config.groups().containsKey(group)) {
      throw new ApiError(400, "\"" + group + "\" is not a group");
    }
    for (Cidr c : config.networks().getOrDefault(group, List.of())) {
      InetAddress a = c.firstHost();
      if (group.equals(service.engine().policy().groupOf(a))) {
        return a.getHostAddress();
      }
    }
    if (group.equals(config.defaultGroup())) {
      return "192.0.2.1"; // TEST-NET-1: in no school network, so the default group
    }
    throw new ApiError(400, "The " + group + " group has no network of its own to check with; give a device's address instead.");
  }

  private Page devices() {
    List<Items.Device> list = new ArrayList<>();
    for (Rows.Device d : await(supervision.devices())) {
      list.add(new Items.Device(d.address(), when(d.since()), d.attempts(), String.join(", ", d.kinds()),
          d.mode().equals("lockdown") ? "learning sites only" : "recorded only", label(d.address(), d.mac())));
    }
    return Page.of("devices.jte", "Devices under supervision", "devices", Map.of("devices", list));
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
        client = AdminService.address(device).getHostAddress();
      } catch (ApiError e) {
        problem = e.getMessage();
      }
    }
    List<Items.Attempt> rows = new ArrayList<>();
    String site = param(uri, "site");
    List<Rows.Event> events = problem != null ? List.of()
        : await(supervision.events(new Store.EventQuery(kind, client, null, 200, site)));
    for (Rows.Event e : events) {
      String who = label(e.client(), e.mac()) + (e.user() == null ? "" : ", used by " + e.user());
      rows.add(new Items.Attempt(when(e.ts()), who, e.group(), e.kind(), e.host(), e.detail()));
    }
    List<String> kinds = ATTEMPT_KINDS;
    LocalDate first = today().minusDays(CHART_DAYS - 1);
    Map<LocalDate, Map<String, Long>> counts = new TreeMap<>();
    long total = 0;
    for (Rows.DayCount c : await(supervision.eventsPerDay(kinds, first, CHART_DAYS))) {
      counts.computeIfAbsent(LocalDate.parse(c.day()), d -> new LinkedHashMap<>()).put(c.kind(), c.count());
      total += c.count();
    }
    List<Items.Choice> kindChoices = new ArrayList<>();
    List<Items.Choice> legend = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      kindChoices.add(new Items.Choice(kinds.get(i), kindDescription(kinds.get(i)), kinds.get(i).equals(kind)));
      legend.add(new Items.Choice(Charts.colour(i), kinds.get(i), false));
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("attempts", rows);
    p.put("kinds", kindChoices);
    p.put("legend", legend);
    p.put("device", device == null ? "" : device);
    p.put("site", site == null ? "" : site);
    p.put("problem", problem);
    p.put("total", total);
    p.put("chart", Charts.perDay(first, CHART_DAYS, kinds, counts,
        "Attempts to get round the filter per day and kind, last " + CHART_DAYS + " days: " + total + " in all"));
    return Page.of("attempts.jte", "Attempts to get round the filter", "attempts", p);
  }

  private Page audit(QueryStringDecoder uri) {
    String site = param(uri, "site");
    List<Items.Change> list = new ArrayList<>();
    List<Rows.Audit> rows = await(service.audit(Pager.before(uri), Items.Paging.SIZE, site));
    for (Rows.Audit a : rows) {
      list.add(new Items.Change(when(a.ts()), a.user(), a.action(), a.target(), a.reason()));
    }
    return Page.of("audit.jte", "Audit trail", "audit", Map.of("changes", list, "site", site == null ? "" : site,
        "paging", Pager.of(uri, rows, Rows.Audit::id)));
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
    return Page.of("policy.jte", "The filter's rules", "policy", Map.of("policy", view));
  }

  // ---- forms ----

  Page act(String path, Map<String, List<String>> form, Sessions.Session s) {
    String user = s.who.name();
    String[] parts = path.substring(1).split("/");
    if (path.equals("/report")) {
      return done(s, "/report", () -> {
        Rows.Report r = await(service.addReport(user, first(form, "url"), first(form, "kind"), first(form, "note")));
        return "Thank you. Your report about " + r.host() + " has gone to the headteacher.";
      });
    }
    if (!isManager(s)) {
      return forbidden();
    }
    if (parts.length == 3 && parts[0].equals("reports") && (parts[2].equals("approve") || parts[2].equals("dismiss"))) {
      boolean approve = parts[2].equals("approve");
      return done(s, "/reports", () -> {
        long id = number(parts[1]);
        Rows.Report r = await(service.decide(user, id, approve, first(form, "reason")));
        if (!approve) {
          return "Report " + id + " about " + r.host() + " was dismissed.";
        }
        return r.kind().equals("inappropriate") ? "Report " + id + " approved: " + r.host() + " is now blocked for everyone."
            : "Report " + id + " approved: " + r.host() + " is now allowed for everyone.";
      });
    }
    if (parts.length == 3 && parts[0].equals("lists") && parts[2].equals("update")) {
      return lists.act(parts[1], s);
    }
    return switch (path) {
      case "/blocks" -> done(s, "/blocks", () -> {
        String site = first(form, "site");
        AdminService.BlockResult b = await(service.addBlock(user, first(form, "url"), first(form, "reason"), null,
            site == null || site.isBlank() ? null : site.strip()));
        if (!b.created()) {
          return b.block().domain() + " was already blocked.";
        }
        return b.block().site() == null ? b.block().domain() + " is now blocked for everyone."
            : b.block().domain() + " is now blocked at " + b.block().site() + ".";
      });
      case "/blocks/remove" -> done(s, "/blocks", () -> {
        String domain = first(form, "domain");
        boolean removed = await(service.removeBlock(user, domain == null ? "" : domain));
        return removed ? domain + " is no longer blocked by the school (the category lists still apply)."
            : domain + " was not blocked.";
      });
      case "/allow" -> done(s, "/allow", () -> allowFor(user, form));
      case "/allow/end" -> done(s, "/allow", () -> {
        long id = number(first(form, "id"));
        return await(service.deleteOverride(user, id)) ? "That allowance has ended." : "That allowance had already ended.";
      });
      case "/devices/release" -> done(s, "/devices", () -> {
        String address = first(form, "address");
        InetAddress device = AdminService.address(address == null ? "" : address);
        return await(supervision.release(user, device)) ? device.getHostAddress() + " is no longer under supervision."
            : device.getHostAddress() + " was not under supervision.";
      });
      default -> null;
    };
  }

  private String allowFor(String user, Map<String, List<String>> form) {
    boolean device = "device".equals(first(form, "who"));
    String group = device ? null : first(form, "group");
    String client = device ? blankToNull(first(form, "device")) : null;
    if (device && client == null) {
      throw new ApiError(400, "Please give the device's address.");
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
      throw new ApiError(400, "Please allow either categories or sites, not both at once.");
    }
    String until = first(form, "until");
    if ("custom".equals(until)) {
      until = customTime(first(form, "until_custom"));
    }
    Rows.OverrideRow row = await(service.addOverride(user, new OverrideRequest(group, client,
        categories.isEmpty() ? null : categories, sites.isEmpty() ? null : sites, until, first(form, "reason"))));
    return "Allowed " + Words.allowed(row) + " for " + Words.allowedFor(row) + " until " + when(row.until()) + ".";
  }

  /** The form's local date and time, read in the school's time zone by the same rule as the API ({@link AdminService#time}). */
  private static String customTime(String local) {
    if (local == null || local.isBlank()) {
      throw new ApiError(400, "Please give the time the allowance ends.");
    }
    return local;
  }

  private interface Action {
    String run();
  }

  /** Runs a form's action; its sentence (or the refusal's) is shown on {@code page}. */
  private static Page done(Sessions.Session s, String page, Action action) {
    try {
      s.flash(action.run(), false);
    } catch (ApiError e) {
      s.flash(e.getMessage(), true);
    }
    return Page.redirect(page);
  }

  private static Page forbidden() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("headline", "This page is for the headteacher and the network manager");
    p.put("sentence", "Your account can report a site and see your reports.");
    return new Page(403, "notallowed.jte", "Not for this account", "", p, null);
  }

  // ---- words ----

  /** The categories a host is listed in, in plain English. */
  private String categoryWords(String host) {
    var lists = service.engine().policy().lists();
    long bits = 0;
    for (String h = host; h != null; h = parent(h)) {
      bits |= lists.categoriesOf(h);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lists.names().size(); i++) { // not bit 63: a subscription's exception, no category
      if ((bits & (1L << i)) != 0) {
        names.add(Categories.plain(lists.name(i)));
      }
    }
    return names.isEmpty() ? "in no category list" : String.join(", ", names);
  }

  private static String parent(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? null : host.substring(dot + 1);
  }

  private static String kindWords(String kind) {
    return kind.equals("inappropriate") ? "should be blocked" : "should be allowed";
  }

  private static String kindDescription(String kind) {
    return switch (kind) {
      case "circumvention-site" -> "a site for getting round the filter";
      case "connect-port" -> "a tunnel to an unusual port";
      case "ip-literal" -> "a site by its number (IP address)";
      case "no-sni" -> "a secure connection with no site name";
      case "ech" -> "a hidden site name (Encrypted Client Hello)";
      case "not-tls" -> "something that was not web traffic";
      case "dns" -> "looking up a site for getting round the filter (DNS)";
      default -> kind;
    };
  }

  private String when(String ts) {
    return safeguarding.when(ts);
  }


  /** A device as people know it: its name and address, or just its address. */
  private String label(String address, String mac) {
    String name = service.names().nameOf(address, mac);
    return name == null ? address : name + " (" + address + ")";
  }

  private String time(Instant i) {
    return TIME.format(i.atZone(zone()));
  }

  private Instant now() {
    return service.engine().clock().instant();
  }

  /** Today in the school's time zone, by the policy's clock. */
  private LocalDate today() {
    return LocalDate.ofInstant(now(), zone());
  }

  private ZoneId zone() {
    return service.engine().policy().config().timezone();
  }

  private static boolean isManager(Sessions.Session s) {
    return AdminRoutes.HEAD_OR_NETMGR.contains(s.who.role());
  }

  private static String param(QueryStringDecoder uri, String name) {
    List<String> v = uri.parameters().get(name);
    return v == null || v.isEmpty() ? null : blankToNull(v.get(0));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static long number(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException | NullPointerException e) {
      throw new ApiError(404, "There is no such item.");
    }
  }
}
