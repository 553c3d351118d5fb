package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.rules.Roles;

/**
 * The admin listener's one route table, API and console together, as it is assembled for the
 * listener: every route with the roles that may use it. A route added without a role fails here
 * (and when the table is built); a route added, removed or opened to another role changes this list.
 */
class WebRoutesTest {
  private static final String MANAGERS = "[head, netmgr]";
  private static final String ALL = "[head, netmgr, staff]";

  /** The table as the listener builds it; the features are not called while a table is assembled. */
  private static RouteTable table() throws Exception {
    var config = ConfigLoader.load(Path.of("..", "config", "schoolgate.yaml"));
    Clock clock = Clock.systemUTC();
    Auth auth = new Auth(null, clock);
    return WebRoutes.table(new WebRoutes.Features(null, null, null, null, null, null), config, clock, auth, new Sessions(clock),
        new SessionCookie(false));
  }

  @Test
  void everyRouteOfTheApiAndTheConsoleHasItsRoles() throws Exception {
    List<RouteTable.Listed> routes = table().routes();
    for (RouteTable.Listed r : routes) {
      assertFalse(r.roles().isEmpty(), r + " has no role");
      assertTrue(Roles.ALL.containsAll(r.roles()), r + " names a role no account has");
    }
    assertEquals(List.of(
        "GET /api/blocks " + MANAGERS,
        "POST /api/blocks " + MANAGERS,
        "DELETE /api/blocks/{domain} " + MANAGERS,
        "POST /api/reports " + ALL,
        "GET /api/reports " + MANAGERS,
        "POST /api/reports/{id}/approve " + MANAGERS,
        "POST /api/reports/{id}/dismiss " + MANAGERS,
        "GET /api/overrides " + MANAGERS,
        "POST /api/overrides " + MANAGERS,
        "DELETE /api/overrides/{id} " + MANAGERS,
        "GET /api/decision " + MANAGERS,
        "GET /api/audit " + MANAGERS,
        "GET /api/events " + MANAGERS,
        "GET /api/devices " + MANAGERS,
        "DELETE /api/devices/{address}/supervision " + MANAGERS,
        "PUT /api/devices/{device}/name " + MANAGERS,
        "GET /api/identities " + MANAGERS,
        "GET /api/alerts " + MANAGERS,
        "GET /api/lists " + MANAGERS,
        "POST /api/lists/{name}/update " + MANAGERS,
        "GET /lists " + MANAGERS,
        "POST /lists/{name}/update " + MANAGERS,
        "GET / " + ALL,
        "GET /today/act " + MANAGERS,
        "GET /report " + ALL,
        "POST /report " + ALL,
        "GET /reports " + MANAGERS,
        "GET /reports/decided " + MANAGERS,
        "POST /reports/{id}/approve " + MANAGERS,
        "POST /reports/{id}/dismiss " + MANAGERS,
        "GET /blocks " + MANAGERS,
        "POST /blocks " + MANAGERS,
        "GET /allow " + MANAGERS,
        "POST /allow " + MANAGERS,
        "GET /audit " + MANAGERS,
        "GET /policy " + MANAGERS,
        "GET /check " + MANAGERS,
        "GET /ref " + MANAGERS,
        "GET /api/refs/{ref} " + MANAGERS,
        "GET /devices " + MANAGERS,
        "GET /attempts " + MANAGERS,
        "GET /alerts " + MANAGERS,
        "GET /review " + MANAGERS,
        "GET /identities " + MANAGERS,
        "GET /password " + ALL,
        "POST /password " + ALL,
        "POST /logout " + ALL,
        "GET /blocks/remove " + MANAGERS,
        "POST /blocks/remove " + MANAGERS,
        "GET /allow/end " + MANAGERS,
        "POST /allow/end " + MANAGERS,
        "GET /devices/release " + MANAGERS,
        "POST /devices/release " + MANAGERS,
        "POST /devices/name " + MANAGERS,
        "GET /accounts " + MANAGERS,
        "POST /accounts " + MANAGERS,
        "POST /accounts/role " + MANAGERS,
        "GET /accounts/remove " + MANAGERS,
        "POST /accounts/remove " + MANAGERS), routes.stream().map(RouteTable.Listed::toString).toList());
  }

  @Test
  void aRouteWithoutARoleIsRefusedWhenTheTableIsBuilt() {
    RouteTable.Builder b = RouteTable.builder(Roles.MANAGERS);
    IllegalArgumentException api = assertThrows(IllegalArgumentException.class,
        () -> b.add(GET, "/api/nobody", Set.of(), r -> CompletableFuture.completedFuture(new RouteTable.Response(200, null))));
    assertEquals("GET /api/nobody has no role that may use it", api.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.page(GET, "/nobody", Set.of(), r -> Page.redirect("/")));
  }

  @Test
  void theApiAndTheConsoleKeepToTheirOwnPaths() {
    RouteTable.Builder b = RouteTable.builder(Roles.MANAGERS);
    assertThrows(IllegalArgumentException.class, () -> b.page(GET, "/api/page", Roles.ALL, r -> Page.redirect("/")));
    assertThrows(IllegalArgumentException.class,
        () -> b.add(GET, "/blocks", Roles.ALL, r -> CompletableFuture.completedFuture(new RouteTable.Response(200, null))));
  }
}
