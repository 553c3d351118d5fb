package org.schoolgate.rules;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.schoolgate.admin.ApiError;
import java.util.List;
import java.util.TreeSet;
import org.schoolgate.policy.Access;
import org.schoolgate.policy.CurriculumOverride;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Decisions;
import org.schoolgate.store.Rows;
import org.schoolgate.values.HostSyntax;
import org.schoolgate.values.WebAddress;

/**
 * "Check a site": what the proxy would decide for a device and a URL (or a host) at a time, and
 * why. Asks the policy itself, so the answer cannot drift from what the listeners do. A search
 * engine or YouTube whose safe mode the device's group enforces says so ({@code enforced}, and
 * in the reason) and names the front end it goes to ({@code via}).
 */
public final class DecisionCheck {
  private final AdminService service;
  private final boolean dnsGuard;
  private final boolean stripEch;

  /** @param dnsGuard whether the DNS guard listens ({@code listen.dns}); its answer is then part of the check */
  public DecisionCheck(AdminService service, boolean dnsGuard, boolean stripEch) {
    this.service = service;
    this.dnsGuard = dnsGuard;
    this.stripEch = stripEch;
  }

  /**
   * @param clientText the device's IP address
   * @param url a URL (its scheme gives the access, its port the port), or null when {@code hostParam} is given
   * @param hostParam a host (checked as HTTPS on 443), or null
   * @param at when (null: now)
   */
  public Map<String, Object> explain(String clientText, String url, String hostParam, String at) {
    if (clientText == null) {
      throw new ApiError(400, "Give \"client\": the device's IP address");
    }
    InetAddress client = AddressInput.parse(clientText);
    if ((url == null) == (hostParam == null)) {
      throw new ApiError(400, "Give either \"url\" or \"host\"");
    }
    String host;
    int port;
    Access access;
    if (url != null) {
      WebAddress parsed = WebAddress.parse(url);
      boolean https = "https".equals(parsed.scheme());
      WebAddress.Authority authority = WebAddress.Authority.split(parsed.authority());
      if (authority == null) {
        throw new ApiError(400, "That is not a website address");
      }
      port = https ? 443 : 80;
      if (authority.port() != null) {
        try {
          port = Integer.parseInt(authority.port());
        } catch (NumberFormatException e) {
          throw new ApiError(400, "\"" + url + "\" has a bad port");
        }
      }
      host = HostSyntax.normalise(authority.host());
      access = https ? Access.TLS : Access.HTTP;
    } else {
      host = HostSyntax.normalise(hostParam);
      port = 443;
      access = Access.TLS;
    }
    if (host == null) {
      throw new ApiError(400, "That is not a website address");
    }
    Instant when = at == null ? service.engine().clock().instant() : service.time(at, "at");
    Decision d = service.engine().decideAt(client, host, port, access, when);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("client", client.getHostAddress());
    out.put("name", service.names().nameOf(client.getHostAddress(), null));
    // who is on that address now by RADIUS accounting (SPEC 15); their group decides when a rule names one
    out.put("user", service.engine().policy().identities().user(client));
    out.put("host", host);
    out.put("port", port);
    out.put("at", service.format(when));
    out.put("group", d.group());
    out.put("decision", d.verdict());
    out.put("category", d.category());
    out.put("rule", d.rule());
    // Safe search is part of the why: "no rule matches this site; safe search enforced (Google)".
    String reason = because(d);
    out.put("reason", d.reroute() == null ? reason : reason + "; " + d.reroute().enforced());
    out.put("override", d.override() == null ? null : override(d.override()));
    out.put("period", d.period().label());
    out.put("reopens_at", d.reopensAt() == null ? null : service.format(d.reopensAt()));
    out.put("circumvention", d.circumvention() == null ? null : d.circumvention().wire());
    out.put("enforced", d.reroute() == null ? null : d.reroute().enforced());
    out.put("via", d.reroute() == null ? null : d.reroute().frontEnd());
    // What the DNS guard answers for the name (SPEC 14), from the same decision: a sentence, or null without the guard
    out.put("dns", dnsGuard ? org.schoolgate.dns.DnsVerdict.of(host, d).sentence(host, stripEch) : null);
    return out;
  }

  /**
   * The decision's reason, with what the policy does not hold: which lesson allowance let it
   * through and until when, or the head's own reason for her block.
   */
  private String because(Decision d) {
    if (d.override() != null) {
      CurriculumOverride o = d.override();
      return "allowed by lesson allowance " + o.id() + " for "
          + (o.group() != null ? "the " + o.group() + " group" : "the device " + o.client().getHostAddress())
          + " until " + service.format(o.until());
    }
    if (Decisions.REPORTED.equals(d.category()) && d.rule() != null) {
      String domain = d.rule().substring(d.rule().indexOf(':') + 1);
      String why = headsReason(domain);
      return why == null ? d.reason() : d.reason() + ": " + why;
    }
    return d.reason();
  }

  /** The reason the head gave when she blocked {@code domain}, or null. */
  private String headsReason(String domain) {
    for (Rows.Block b : service.blocks().join()) {
      if (b.domain().equals(domain) && b.reason() != null && !b.reason().isBlank()) {
        return b.reason();
      }
    }
    return null;
  }

  /** The allowance, for the API and the page: its id, whom it is for, what it allows, until when, and why. */
  private Map<String, Object> override(CurriculumOverride o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", o.id());
    m.put("group", o.group());
    m.put("client", o.client() == null ? null : o.client().getHostAddress());
    m.put("categories", List.copyOf(new TreeSet<>(o.categories())));
    m.put("domains", List.copyOf(new TreeSet<>(o.domains())));
    m.put("until", service.format(o.until()));
    m.put("reason", o.reason());
    return m;
  }
}
