package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static org.schoolgate.web.Forms.param;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.schoolgate.admin.ApiError;
import org.schoolgate.console.Items;
import org.schoolgate.console.templates.JtecheckGenerated;
import org.schoolgate.policy.PolicyConfig;
import org.schoolgate.proxy.Categories;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.DecisionCheck;
import org.schoolgate.rules.Roles;
import org.schoolgate.safeguarding.Safeguarding;
import org.schoolgate.values.Cidr;

/**
 * The console's "Check a site" (SPEC section 8): would this device, or a device of this group,
 * open this site now, and why; the same answer as {@code GET /api/decision}, in a sentence.
 */
final class CheckPage {
  private final AdminService service;
  private final DecisionCheck decisions;
  private final PageWords words;

  CheckPage(AdminService service, DecisionCheck decisions, PageWords words) {
    this.service = service;
    this.decisions = decisions;
    this.words = words;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/check", Roles.MANAGERS, r -> check(r.uri()));
  }

  private Page check(QueryStringDecoder uri) {
    String device = param(uri, "device");
    String group = param(uri, "group");
    String url = param(uri, "url");
    String at = Forms.blankToNull(param(uri, "at"));
    List<Items.Choice> groups = new ArrayList<>();
    for (String g : service.engine().policy().config().groups().keySet()) {
      groups.add(new Items.Choice(g, g, g.equals(group)));
    }
    Items.Check answer = null;
    String problem = null;
    if (url != null) {
      try {
        answer = explain(device, group, url, at);
      } catch (ApiError e) {
        problem = e.getMessage();
      }
    } else if (device != null || group != null) {
      problem = "Please give the address of the website to check.";
    }
    Items.Check shown = answer;
    String why = problem;
    return Page.of(problem == null ? 200 : 400, "Check a site", "check", (out, v) -> JtecheckGenerated.render(out, null, v,
        device == null ? "" : device, url == null ? "" : url, at == null ? "" : at, groups, shown, why));
  }

  private Items.Check explain(String device, String group, String url, String at) {
    String client = device;
    String who = device == null ? null : "the device " + words.label(device, null);
    if (client == null) {
      if (group == null) {
        throw new ApiError(400, "Please give a device's address or choose a group.");
      }
      client = memberOf(group);
      who = "the " + group + " group";
    }
    Map<String, Object> d = decisions.explain(client, url.contains("://") ? url : "https://" + url, null, at);
    boolean blocked = "block".equals(d.get("decision"));
    Object user = d.get("user");
    if (user != null && device != null) {
      who += ", used by " + user + ",";
    }
    String reason = reason(d);
    String host = String.valueOf(d.get("host"));
    StringBuilder sentence = new StringBuilder();
    sentence.append(blocked ? "Blocked: " : "Allowed: ").append(who).append(blocked ? " cannot open " : " can open ")
        .append(host).append(at == null ? " now" : " at " + words.when(String.valueOf(d.get("at")))).append(", because ").append(reason).append('.');
    Object reopens = d.get("reopens_at");
    if (reopens != null) {
      sentence.append(" It opens again at ").append(words.time(Safeguarding.instant(reopens.toString()))).append('.');
    }
    String category = d.get("category") == null ? "none" : Categories.plain(String.valueOf(d.get("category")));
    return new Items.Check(sentence.toString(), blocked, String.valueOf(d.get("group")), category, rule(d),
        String.valueOf(d.get("period")),
        (String) d.get("dns"), user == null ? null : user.toString());
  }

  /**
   * The reason in a headteacher's words: a lesson allowance by whom it is for, its end and its
   * reason; otherwise the API's sentence (the head's block already carries her reason).
   */
  @SuppressWarnings("unchecked")
  private String reason(Map<String, Object> d) {
    Map<String, Object> o = (Map<String, Object>) d.get("override");
    if (o == null) {
      return String.valueOf(d.get("reason"));
    }
    String who = o.get("group") != null ? "the " + o.get("group") + " group" : "the device " + words.label((String) o.get("client"), null);
    String why = (String) o.get("reason");
    return "the lesson allowance for " + who + " lets it through until " + words.when((String) o.get("until"))
        + (why == null || why.isBlank() ? "" : " (\u201c" + why + "\u201d)");
  }

  /** The rule, named for a person: a lesson allowance by its number, the head's block as hers. */
  @SuppressWarnings("unchecked")
  private static String rule(Map<String, Object> d) {
    Object rule = d.get("rule");
    if (rule == null) {
      return "none";
    }
    Map<String, Object> o = (Map<String, Object>) d.get("override");
    if (o != null) {
      return "Lesson allowance " + o.get("id");
    }
    String text = rule.toString();
    if ("reported".equals(d.get("category"))) {
      return "the headteacher's block of " + text.substring(text.indexOf(':') + 1);
    }
    return text;
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

}
