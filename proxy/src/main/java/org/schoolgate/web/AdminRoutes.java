package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.admin.ApiError;
import org.schoolgate.admin.Bounds;
import org.schoolgate.policy.CircumventionKind;
import org.schoolgate.rules.AddressInput;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.DecisionCheck;
import org.schoolgate.rules.IdentityListing;
import org.schoolgate.rules.OverrideRequest;
import org.schoolgate.rules.Roles;
import org.schoolgate.safeguarding.Safeguarding;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.supervision.Supervision;
import org.schoolgate.web.RouteTable.Request;
import org.schoolgate.web.RouteTable.Response;

/**
 * The admin API's routes (SPEC section 6): who may call each, and what it does, as one table.
 * Handlers turn JSON and query parameters into calls on {@link AdminService} and
 * {@link Supervision} (where the rules are) and the results into responses. Runs on the admin
 * worker threads; returns a future of (status, JSON body).
 */
final class AdminRoutes {
  static final Set<String> HEAD_OR_NETMGR = Roles.MANAGERS;

  private final AdminService service;
  private final Supervision supervision;
  private final DecisionCheck decisions;
  private final Safeguarding safeguarding;

  AdminRoutes(AdminService service, Supervision supervision, Safeguarding safeguarding, DecisionCheck decisions) {
    this.service = service;
    this.supervision = supervision;
    this.decisions = decisions;
    this.safeguarding = safeguarding;
  }

  /** The API's routes of the rules, supervision and safeguarding, in the order they are tried. */
  void addTo(RouteTable.Builder b) {
    b
        .add(GET, "/api/blocks", HEAD_OR_NETMGR, r -> service.blocks().thenApply(all -> slice(r, all)))
        .add(POST, "/api/blocks", HEAD_OR_NETMGR, this::addBlock)
        .add(DELETE, "/api/blocks/{domain}", HEAD_OR_NETMGR, this::removeBlock)
        .add(POST, "/api/reports", Roles.ALL, this::addReport) // any role may report
        .add(GET, "/api/reports", HEAD_OR_NETMGR,
            r -> service.reports(r.param("status"), r.param("site"), null, Bounds.before(r.param("before")),
                Bounds.limit(r.param("limit"), Bounds.MOST_PER_PAGE)).thenApply(rows -> page(r, rows, Rows.Report::id)))
        .add(POST, "/api/reports/{id}/approve", HEAD_OR_NETMGR, r -> decide(r, true))
        .add(POST, "/api/reports/{id}/dismiss", HEAD_OR_NETMGR, r -> decide(r, false))
        .add(GET, "/api/overrides", HEAD_OR_NETMGR, r -> service.overrides().thenApply(all -> slice(r, all)))
        .add(POST, "/api/overrides", HEAD_OR_NETMGR, this::addOverride)
        .add(DELETE, "/api/overrides/{id}", HEAD_OR_NETMGR, this::deleteOverride)
        .add(GET, "/api/decision", HEAD_OR_NETMGR, r -> CompletableFuture.completedFuture(
            ok(decisions.explain(r.param("client"), r.param("url"), r.param("host"), r.param("at")))))
        .add(GET, "/api/audit", HEAD_OR_NETMGR, r -> service.audit(Bounds.before(r.param("before")),
            Bounds.limit(r.param("limit"), Bounds.MOST_PER_PAGE), r.param("site")).thenApply(rows -> page(r, rows, Rows.Audit::id)))
        .add(GET, "/api/events", HEAD_OR_NETMGR, this::events)
        .add(GET, "/api/devices", HEAD_OR_NETMGR, r -> supervision.devices().thenApply(all -> slice(r, all)))
        .add(DELETE, "/api/devices/{address}/supervision", HEAD_OR_NETMGR, this::release)
        .add(PUT, "/api/devices/{device}/name", HEAD_OR_NETMGR, this::nameDevice)
        .add(GET, "/api/identities", HEAD_OR_NETMGR, r -> IdentityListing.page(service, r.param("limit"), r.param("offset"))
            .thenApply(AdminRoutes::ok))
        .add(GET, "/api/alerts", HEAD_OR_NETMGR, r -> safeguarding.alerts(Bounds.limit(r.param("limit"), Bounds.MOST_PER_PAGE), r.param("site")).thenApply(AdminRoutes::ok));
  }

  private CompletableFuture<Response> addBlock(Request r) {
    ObjectNode o = Json.body(r.body());
    return service.addBlock(r.user(), Json.text(o, "domain"), Json.text(o, "reason"), null, Json.text(o, "site"))
        .thenApply(b -> new Response(b.created() ? 201 : 200, b.block()));
  }

  private CompletableFuture<Response> removeBlock(Request r) {
    String domain = QueryStringDecoder.decodeComponent(r.capture("domain"));
    return service.removeBlock(r.user(), domain).thenApply(removed -> {
      if (!removed) {
        throw new ApiError(404, "\"" + domain + "\" is not in the admin blocks");
      }
      return new Response(204, null);
    });
  }

  private CompletableFuture<Response> addReport(Request r) {
    ObjectNode o = Json.body(r.body());
    return service.addReport(r.user(), Json.text(o, "url"), Json.text(o, "kind"), Json.text(o, "note"))
        .thenApply(report -> new Response(201, report));
  }

  private CompletableFuture<Response> decide(Request r, boolean approve) {
    long id = id(r.capture("id"));
    ObjectNode o = Json.body(r.body());
    return service.decide(r.user(), id, approve, Json.text(o, "reason")).thenApply(AdminRoutes::ok);
  }

  private CompletableFuture<Response> addOverride(Request r) {
    ObjectNode o = Json.body(r.body());
    OverrideRequest request = new OverrideRequest(Json.text(o, "group"), Json.text(o, "client"), Json.texts(o, "categories"),
        Json.texts(o, "domains"), Json.text(o, "until"), Json.text(o, "reason"));
    return service.addOverride(r.user(), request).thenApply(row -> new Response(201, row));
  }

  private CompletableFuture<Response> deleteOverride(Request r) {
    long id = id(r.capture("id"));
    return service.deleteOverride(r.user(), id).thenApply(removed -> {
      if (!removed) {
        throw new ApiError(404, "There is no override " + id);
      }
      return new Response(204, null);
    });
  }

  private CompletableFuture<Response> events(Request r) {
    String kind = r.param("kind");
    if (kind != null && CircumventionKind.fromWire(kind) == null && !Set.of("supervised", "released").contains(kind)) {
      throw new ApiError(400, "kind is one of circumvention-site, connect-port, ip-literal, no-sni, ech, not-tls, dns, supervised, released");
    }
    String client = r.param("client");
    if (client != null) {
      client = AddressInput.parse(client).getHostAddress();
    }
    String since = r.param("since");
    String sinceTs = since == null ? null : service.format(service.time(since, "since"));
    return supervision.events(new Store.EventQuery(kind, client, sinceTs, limit(r, 100), r.param("site")))
        .thenApply(AdminRoutes::ok);
  }

  private CompletableFuture<Response> nameDevice(Request r) {
    ObjectNode o = Json.body(r.body());
    return service.nameDevice(r.user(), QueryStringDecoder.decodeComponent(r.capture("device")), Json.text(o, "name"))
        .thenApply(AdminRoutes::ok);
  }

  private CompletableFuture<Response> release(Request r) {
    InetAddress device = AddressInput.parse(QueryStringDecoder.decodeComponent(r.capture("address")));
    return supervision.release(r.user(), device).thenApply(released -> {
      if (!released) {
        throw new ApiError(404, device.getHostAddress() + " is not under supervision");
      }
      return new Response(204, null);
    });
  }

  private static Response ok(Object body) {
    return new Response(200, body);
  }

  /** A page of a newest-first list read with {@code ?before=}: a full page links to the next (below its last id). */
  private static <T> Response page(Request r, List<T> rows, java.util.function.ToLongFunction<T> id) {
    int limit = Bounds.limit(r.param("limit"), Bounds.MOST_PER_PAGE);
    if (rows.size() < limit) {
      return ok(rows);
    }
    QueryStringEncoder next = new QueryStringEncoder(r.uri().path());
    r.uri().parameters().forEach((name, values) -> {
      if (!name.equals("before")) {
        values.forEach(v -> next.addParam(name, v));
      }
    });
    next.addParam("before", Long.toString(id.applyAsLong(rows.get(rows.size() - 1))));
    return new Response(200, rows, next.toString());
  }

  /**
   * A page of a list the gateway holds in memory anyway (blocks, overrides, supervised devices):
   * {@code ?offset=} and {@code ?limit=} (up to {@value Bounds#MOST_PER_PAGE}, which is also the default).
   */
  private static <T> Response slice(Request r, List<T> all) {
    int limit = Bounds.limit(r.param("limit") == null ? Integer.toString(Bounds.MOST_PER_PAGE) : r.param("limit"),
        Bounds.MOST_PER_PAGE);
    long offset = Bounds.offset(r.param("offset"));
    int from = (int) Math.min(offset, all.size());
    int to = Math.min(all.size(), from + limit);
    if (to >= all.size()) {
      return ok(all.subList(from, to));
    }
    QueryStringEncoder next = new QueryStringEncoder(r.uri().path());
    next.addParam("offset", Integer.toString(to));
    next.addParam("limit", Integer.toString(limit));
    return new Response(200, all.subList(from, to), next.toString());
  }

  private static int limit(Request r, int dflt) {
    String s = r.param("limit");
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
}
