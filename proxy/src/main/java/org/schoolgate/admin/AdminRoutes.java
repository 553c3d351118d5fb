package org.schoolgate.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.config.HostSyntax;
import org.schoolgate.policy.Access;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Policy;
import org.schoolgate.store.Rows;

/**
 * The admin API's routes (SPEC section 6): who may call each, and what it does. Runs on the
 * admin worker threads; returns a future of (status, JSON body).
 */
final class AdminRoutes {
  record Response(int status, Object body) {}

  private static final Set<String> HEAD_OR_NETMGR = Set.of("head", "netmgr");

  private final AdminService service;
  private final Supervision supervision;

  AdminRoutes(AdminService service, Supervision supervision) {
    this.service = service;
    this.supervision = supervision;
  }

  CompletableFuture<Response> route(HttpMethod method, QueryStringDecoder uri, String body, Auth.Principal who) {
    String path = uri.path();
    List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/"));
    if (parts.size() < 2 || !parts.get(0).equals("api")) {
      throw new ApiError(404, "There is nothing at " + path);
    }
    String resource = parts.get(1);
    boolean reportPost = resource.equals("reports") && parts.size() == 2 && method == HttpMethod.POST; // any role may report
    if (!(reportPost ? UserCommands.ROLES : HEAD_OR_NETMGR).contains(who.role())) {
      throw new ApiError(403, "Your account (" + who.role() + ") may not do this");
    }
    String user = who.name();
    switch (resource) {
      case "blocks":
        if (parts.size() == 2 && method == HttpMethod.GET) {
          return service.blocks().thenApply(b -> ok(b));
        }
        if (parts.size() == 2 && method == HttpMethod.POST) {
          ObjectNode o = Json.body(body);
          return service.addBlock(user, Json.text(o, "domain"), Json.text(o, "reason"), null)
              .thenApply(r -> new Response(r.created() ? 201 : 200, r.block()));
        }
        if (parts.size() == 3 && method == HttpMethod.DELETE) {
          String domain = QueryStringDecoder.decodeComponent(parts.get(2));
          return service.removeBlock(user, domain).thenApply(removed -> {
            if (!removed) {
              throw new ApiError(404, "\"" + domain + "\" is not in the admin blocks");
            }
            return new Response(204, null);
          });
        }
        break;
      case "reports":
        if (parts.size() == 2 && method == HttpMethod.POST) {
          ObjectNode o = Json.body(body);
          return service.addReport(user, Json.text(o, "url"), Json.text(o, "kind"), Json.text(o, "note"))
              .thenApply(r -> new Response(201, r));
        }
        if (parts.size() == 2 && method == HttpMethod.GET) {
          return service.reports(param(uri, "status")).thenApply(AdminRoutes::ok);
        }
        if (parts.size() == 4 && method == HttpMethod.POST && (parts.get(3).equals("approve") || parts.get(3).equals("dismiss"))) {
          long id = id(parts.get(2));
          ObjectNode o = Json.body(body);
          return service.decide(user, id, parts.get(3).equals("approve"), Json.text(o, "reason")).thenApply(AdminRoutes::ok);
        }
        break;
      case "overrides":
        if (parts.size() == 2 && method == HttpMethod.GET) {
          return service.overrides().thenApply(AdminRoutes::ok);
        }
        if (parts.size() == 2 && method == HttpMethod.POST) {
          return service.addOverride(user, override(Json.body(body), user)).thenApply(r -> new Response(201, r));
        }
        if (parts.size() == 3 && method == HttpMethod.DELETE) {
          long id = id(parts.get(2));
          return service.deleteOverride(user, id).thenApply(removed -> {
            if (!removed) {
              throw new ApiError(404, "There is no override " + id);
            }
            return new Response(204, null);
          });
        }
        break;
      case "decision":
        if (parts.size() == 2 && method == HttpMethod.GET) {
          return CompletableFuture.completedFuture(ok(explain(uri)));
        }
        break;
      case "audit":
        if (parts.size() == 2 && method == HttpMethod.GET) {
          return service.audit(limit(uri, 200)).thenApply(AdminRoutes::ok);
        }
        break;
      case "events":
        if (parts.size() == 2 && method == HttpMethod.GET) {
          String kind = param(uri, "kind");
          if (kind != null && org.schoolgate.policy.CircumventionKind.fromWire(kind) == null
              && !Set.of("supervised", "released").contains(kind)) {
            throw new ApiError(400, "kind is one of circumvention-site, connect-port, ip-literal, no-sni, ech, not-tls, supervised, released");
          }
          String client = param(uri, "client");
          if (client != null) {
            client = AdminService.address(client).getHostAddress();
          }
          String since = param(uri, "since");
          String sinceTs = since == null ? null : service.format(instant(since, "since"));
          return supervision.events(kind, client, sinceTs, limit(uri, 100)).thenApply(AdminRoutes::ok);
        }
        break;
      case "devices":
        if (parts.size() == 2 && method == HttpMethod.GET) {
          return supervision.devices().thenApply(AdminRoutes::ok);
        }
        if (parts.size() == 4 && parts.get(3).equals("supervision") && method == HttpMethod.DELETE) {
          InetAddress device = AdminService.address(QueryStringDecoder.decodeComponent(parts.get(2)));
          return supervision.release(user, device).thenApply(released -> {
            if (!released) {
              throw new ApiError(404, device.getHostAddress() + " is not under supervision");
            }
            return new Response(204, null);
          });
        }
        break;
      default:
        throw new ApiError(404, "There is nothing at " + path);
    }
    throw new ApiError(404, "There is nothing at " + method + " " + path);
  }

  private static Response ok(Object body) {
    return new Response(200, body);
  }

  private static String param(QueryStringDecoder uri, String name) {
    List<String> v = uri.parameters().get(name);
    return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
  }

  private static int limit(QueryStringDecoder uri, int dflt) {
    String s = param(uri, "limit");
    if (s == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(s);
      if (n < 1 || n > 10_000) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiError(400, "limit is a whole number from 1 to 10000");
    }
  }

  private static long id(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ApiError(404, "There is no \"" + s + "\"");
    }
  }

  /** ISO-8601 with an offset, or a local date-time in the school's time zone. */
  private Instant instant(String s, String field) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s).atZone(service.engine().policy().config().timezone()).toInstant();
      } catch (DateTimeParseException e2) {
        throw new ApiError(400, "\"" + field + "\" must be a date and time like 2026-11-23T15:15:00+00:00");
      }
    }
  }

  private Rows.OverrideRow override(ObjectNode o, String user) {
    String group = Json.text(o, "group");
    String client = Json.text(o, "client");
    if ((group == null) == (client == null)) {
      throw new ApiError(400, "Give either \"group\" or \"client\" (one address), not both");
    }
    Policy policy = service.engine().policy();
    if (group != null && !policy.config().groups().containsKey(group)) {
      throw new ApiError(400, "\"" + group + "\" is not a group (groups: " + String.join(", ", policy.config().groups().keySet()) + ")");
    }
    if (client != null) {
      client = AdminService.address(client).getHostAddress();
    }
    List<String> categories = Json.texts(o, "categories");
    List<String> domains = Json.texts(o, "domains");
    if ((categories == null || categories.isEmpty()) == (domains == null || domains.isEmpty())) {
      throw new ApiError(400, "Give either \"categories\" or \"domains\" to allow");
    }
    Set<String> cats = new LinkedHashSet<>();
    if (categories != null) {
      for (String c : categories) {
        if (c.equals(Policy.CIRCUMVENTION)) {
          throw new ApiError(400, "Ways round the filter (circumvention) can never be allowed by an override");
        }
        if (!policy.lists().names().contains(c)) {
          throw new ApiError(400, "\"" + c + "\" is not a category (categories: " + String.join(", ", policy.lists().names()) + ")");
        }
        cats.add(c);
      }
    }
    Set<String> doms = new LinkedHashSet<>();
    if (domains != null) {
      for (String d : domains) {
        String norm = DomainInput.normalise(d);
        if (policy.listedAsCircumvention(norm)) {
          throw new ApiError(400, "\"" + norm + "\" is a way round the filter (circumvention); it can never be allowed by an override");
        }
        doms.add(norm);
      }
    }
    String untilText = Json.text(o, "until");
    if (untilText == null) {
      throw new ApiError(400, "Give \"until\": when the override ends, like 2026-11-23T15:15:00+00:00");
    }
    Instant until = instant(untilText, "until");
    if (!until.isAfter(service.engine().clock().instant())) {
      throw new ApiError(400, "\"until\" is in the past");
    }
    String reason = AdminService.requireReason(Json.text(o, "reason"));
    return new Rows.OverrideRow(0, group, client, List.copyOf(cats), List.copyOf(doms), service.format(until), reason, user,
        service.now());
  }

  private Map<String, Object> explain(QueryStringDecoder uri) {
    String clientText = param(uri, "client");
    if (clientText == null) {
      throw new ApiError(400, "Give \"client\": the device's IP address");
    }
    InetAddress client = AdminService.address(clientText);
    String url = param(uri, "url");
    String hostParam = param(uri, "host");
    if ((url == null) == (hostParam == null)) {
      throw new ApiError(400, "Give either \"url\" or \"host\"");
    }
    String host;
    int port;
    Access access;
    if (url != null) {
      boolean https = url.regionMatches(true, 0, "https://", 0, 8);
      String rest = url.replaceFirst("(?i)^[a-z]+://", "");
      String authority = rest.replaceFirst("[/?#].*$", "");
      int colon = authority.lastIndexOf(':');
      port = https ? 443 : 80;
      if (colon > 0 && authority.indexOf(']') < colon) {
        try {
          port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new ApiError(400, "\"" + url + "\" has a bad port");
        }
        authority = authority.substring(0, colon);
      }
      host = HostSyntax.normalise(authority);
      access = https ? Access.TLS : Access.HTTP;
    } else {
      host = HostSyntax.normalise(hostParam);
      port = 443;
      access = Access.TLS;
    }
    if (host == null) {
      throw new ApiError(400, "That is not a website address");
    }
    String at = param(uri, "at");
    Instant when = at == null ? service.engine().clock().instant() : instant(at, "at");
    Decision d = service.engine().decideAt(client, host, port, access, when);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("client", client.getHostAddress());
    out.put("host", host);
    out.put("port", port);
    out.put("at", service.format(when));
    out.put("group", d.group());
    out.put("decision", d.verdict());
    out.put("category", d.category());
    out.put("rule", d.rule());
    out.put("reason", d.reason());
    out.put("period", d.period().label());
    out.put("reopens_at", d.reopensAt() == null ? null : service.format(d.reopensAt()));
    out.put("circumvention", d.circumvention() == null ? null : d.circumvention().wire());
    return out;
  }
}
