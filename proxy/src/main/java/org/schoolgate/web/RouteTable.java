package org.schoolgate.web;

import org.schoolgate.admin.ApiError;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The admin API as a table of (method, path pattern, roles allowed) to handler, built once and
 * read top to bottom. A pattern is literal segments and {@code {name}} captures
 * ({@code /api/reports/{id}/approve}); a capture is the segment of {@link QueryStringDecoder#path()}.
 *
 * <p>Answers for what no route takes (as the API has always answered them): a path outside
 * {@code /api/...} is 404 for anyone; otherwise a caller whose role is not {@code defaultRoles}
 * gets 403 (the role check came before the path); otherwise 404 naming the path, with the method
 * when the resource exists but not that method or shape.
 */
final class RouteTable {
  /** What a route answers: a status and a body written as JSON (none for null). */
  /** @param next the next page of a list ({@code Link: <next>; rel="next"}), or null */
  record Response(int status, Object body, String next) {
    Response(int status, Object body) {
      this(status, body, null);
    }
  }

  /** One request as a handler sees it. */
  record Request(HttpMethod method, QueryStringDecoder uri, String body, Auth.Principal who, Map<String, String> captures) {
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
  }

  @FunctionalInterface
  interface Handler {
    CompletableFuture<Response> handle(Request request);
  }

  private record Route(HttpMethod method, List<String> pattern, Set<String> roles, Handler handler) {
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

    Builder add(HttpMethod method, String pattern, Set<String> roles, Handler handler) {
      routes.add(new Route(method, segments(pattern), Set.copyOf(roles), handler));
      return this;
    }

    RouteTable build() {
      return new RouteTable(routes, defaultRoles);
    }
  }

  private static List<String> segments(String path) {
    return List.of(path.replaceAll("^/+|/+$", "").split("/"));
  }

  /** Runs the route that takes this request; a refusal is thrown or completes the future as an {@link ApiError}. */
  CompletableFuture<Response> route(HttpMethod method, QueryStringDecoder uri, String body, Auth.Principal who) {
    String path = uri.path();
    List<String> parts = segments(path);
    if (parts.size() < 2 || !parts.get(0).equals("api")) {
      throw new ApiError(404, "There is nothing at " + path);
    }
    for (Route r : routes) {
      Map<String, String> captures = r.match(method, parts);
      if (captures != null) {
        if (!r.roles().contains(who.role())) {
          throw forbidden(who);
        }
        return r.handler().handle(new Request(method, uri, body, who, Map.copyOf(captures)));
      }
    }
    if (!defaultRoles.contains(who.role())) {
      throw forbidden(who);
    }
    boolean resourceExists = routes.stream().anyMatch(r -> r.pattern().get(1).equals(parts.get(1)));
    throw new ApiError(404, "There is nothing at " + (resourceExists ? method + " " : "") + path);
  }

  private static ApiError forbidden(Auth.Principal who) {
    return new ApiError(403, "Your account (" + who.role() + ") may not do this");
  }
}
