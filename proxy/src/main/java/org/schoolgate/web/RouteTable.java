package org.schoolgate.web;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.admin.ApiError;
import org.schoolgate.rules.Roles;

/**
 * The admin listener's one route table: the JSON API and the console's pages and forms, each a
 * (method, path pattern, roles allowed) to its handler, built once and read top to bottom. A
 * pattern is literal segments and {@code {name}} captures ({@code /api/reports/{id}/approve},
 * {@code /reports/{id}/approve}); a capture is the segment of {@link QueryStringDecoder#path()}.
 * A route with no role is refused when the table is built, and {@link #routes()} lists them all.
 *
 * <p>Answers for what no API route takes (as the API has always answered them): a path outside
 * {@code /api/...} is 404 for anyone; otherwise a caller whose role is not {@code defaultRoles}
 * gets 403 (the role check came before the path); otherwise 404 naming the path, with the method
 * when the resource exists but not that method or shape. For the console: a page no route takes
 * is not there (null, 404); a form no route takes, sent by a role not in {@code defaultRoles},
 * is not allowed (403), as a page whose roles do not include the account's is.
 */
final class RouteTable {
  /** What an API route answers: a status and a body written as JSON (none for null). */
  /** @param next the next page of a list ({@code Link: <next>; rel="next"}), or null */
  record Response(int status, Object body, String next) {
    Response(int status, Object body) {
      this(status, body, null);
    }
  }

  /**
   * One request as a handler sees it; a console request also carries its session, its form (a
   * POST's fields; empty for a page) and the address it came from.
   */
  record Request(HttpMethod method, QueryStringDecoder uri, String body, Auth.Principal who, Map<String, String> captures,
                 Sessions.Session session, Map<String, List<String>> form, InetAddress from) {
    /** The path segment captured as {@code {name}}. */
    String capture(String name) {
      return captures.get(name);
    }

    /** A query parameter, or null when absent or blank. */
    String param(String name) {
      List<String> v = uri.parameters().get(name);
      return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
    }

    String user() {
      return who.name();
    }

    boolean manager() {
      return Roles.MANAGERS.contains(who.role());
    }
  }

  /** An API route's handler. */
  @FunctionalInterface
  interface Handler {
    CompletableFuture<Response> handle(Request request);
  }

  /** A console route's handler: the page to show, or where to go after a form. Runs on an admin worker thread. */
  @FunctionalInterface
  interface PageHandler {
    Page show(Request request);
  }

  /** A route as {@link #routes()} lists it: {@code GET /api/blocks [head, netmgr]}. */
  record Listed(String method, String pattern, Set<String> roles, boolean console) {
    @Override
    public String toString() {
      return method + " " + pattern + " " + new java.util.TreeSet<>(roles);
    }
  }

  private record Route(HttpMethod method, String text, List<String> pattern, Set<String> roles, Handler handler,
                       PageHandler page) {
    /** The captures if this route takes {@code parts}, else null. */
    Map<String, String> match(HttpMethod m, List<String> parts) {
      if (!m.equals(method) || parts.size() != pattern.size()) {
        return null;
      }
      Map<String, String> captures = new HashMap<>();
      for (int i = 0; i < parts.size(); i++) {
        String p = pattern.get(i);
        if (p.startsWith("{") && p.endsWith("}")) {
          captures.put(p.substring(1, p.length() - 1), parts.get(i));
        } else if (!p.equals(parts.get(i))) {
          return null;
        }
      }
      return captures;
    }
  }

  private final List<Route> routes;
  private final Set<String> defaultRoles;

  private RouteTable(List<Route> routes, Set<String> defaultRoles) {
    this.routes = List.copyOf(routes);
    this.defaultRoles = Set.copyOf(defaultRoles);
  }

  static Builder builder(Set<String> defaultRoles) {
    return new Builder(defaultRoles);
  }

  /** Builds the table; routes are tried in the order added. */
  static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private final Set<String> defaultRoles;

    private Builder(Set<String> defaultRoles) {
      this.defaultRoles = defaultRoles;
    }

    /** An API route ({@code /api/...}). */
    Builder add(HttpMethod method, String pattern, Set<String> roles, Handler handler) {
      return put(new Route(method, pattern, segments(pattern), Set.copyOf(roles), handler, null), true);
    }

    /** A console route: a page ({@code GET}, also taking {@code HEAD}) or a form ({@code POST}). */
    Builder page(HttpMethod method, String pattern, Set<String> roles, PageHandler handler) {
      return put(new Route(method, pattern, segments(pattern), Set.copyOf(roles), null, handler), false);
    }

    private Builder put(Route r, boolean api) {
      if (r.roles().isEmpty()) {
        throw new IllegalArgumentException(r.method() + " " + r.text() + " has no role that may use it");
      }
      if (api != r.pattern().get(0).equals("api")) {
        throw new IllegalArgumentException(r.text() + (api ? " is not under /api" : " is under /api, which is the API's"));
      }
      routes.add(r);
      return this;
    }

    RouteTable build() {
      return new RouteTable(routes, defaultRoles);
    }
  }

  private static List<String> segments(String path) {
    return List.of(path.replaceAll("^/+|/+$", "").split("/"));
  }

  /** Every route, API and console, in the order they are tried, with the roles that may use each. */
  List<Listed> routes() {
    return routes.stream().map(r -> new Listed(r.method().name(), r.text(), r.roles(), r.page() != null)).toList();
  }

  /**
   * The console's answer to a signed-in request: the page its route shows, {@link Page#notAllowed()}
   * when the account's role may not use it, or null when there is no such page.
   */
  Page page(HttpMethod method, QueryStringDecoder uri, String body, Sessions.Session s, Map<String, List<String>> form,
            InetAddress from) {
    HttpMethod m = method.equals(HttpMethod.HEAD) ? HttpMethod.GET : method;
    List<String> parts = segments(uri.path());
    for (Route r : routes) {
      Map<String, String> captures = r.page() == null ? null : r.match(m, parts);
      if (captures != null) {
        if (!r.roles().contains(s.who.role())) {
          return Page.notAllowed();
        }
        return r.page().show(new Request(m, uri, body, s.who, Map.copyOf(captures), s, form, from));
      }
    }
    return m.equals(HttpMethod.POST) && !defaultRoles.contains(s.who.role()) ? Page.notAllowed() : null;
  }

  /** Runs the route that takes this request; a refusal is thrown or completes the future as an {@link ApiError}. */
  CompletableFuture<Response> route(HttpMethod method, QueryStringDecoder uri, String body, Auth.Principal who) {
    String path = uri.path();
    List<String> parts = segments(path);
    if (parts.size() < 2 || !parts.get(0).equals("api")) {
      throw new ApiError(404, "There is nothing at " + path);
    }
    for (Route r : routes) {
      Map<String, String> captures = r.handler() == null ? null : r.match(method, parts);
      if (captures != null) {
        if (!r.roles().contains(who.role())) {
          throw forbidden(who);
        }
        return r.handler().handle(new Request(method, uri, body, who, Map.copyOf(captures), null, Map.of(), null));
      }
    }
    if (!defaultRoles.contains(who.role())) {
      throw forbidden(who);
    }
    boolean resourceExists = routes.stream().anyMatch(r -> r.handler() != null && r.pattern().get(1).equals(parts.get(1)));
    throw new ApiError(404, "There is nothing at " + (resourceExists ? method + " " : "") + path);
  }

  private static ApiError forbidden(Auth.Principal who) {
    return new ApiError(403, "Your account (" + who.role() + ") may not do this");
  }
}
