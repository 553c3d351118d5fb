package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.schoolgate.admin.ApiError;

/** How the admin API's table picks a route, and what it answers when none takes the request. */
class RouteTableTest {
  private static final Set<String> MANAGERS = Set.of("head", "netmgr");
  private static final Auth.Principal HEAD = new Auth.Principal("mrs.head", "head");
  private static final Auth.Principal STAFF = new Auth.Principal("mr.staff", "staff");

  private final RouteTable table = RouteTable.builder(MANAGERS)
      .add(GET, "/api/blocks", MANAGERS, r -> answer("list"))
      .add(DELETE, "/api/blocks/{domain}", MANAGERS, r -> answer("delete " + r.capture("domain")))
      .add(POST, "/api/reports", Set.of("head", "netmgr", "staff"), r -> answer("report by " + r.user()))
      .add(POST, "/api/reports/{id}/approve", MANAGERS, r -> answer("approve " + r.capture("id") + " " + r.param("x")))
      .build();

  private static CompletableFuture<RouteTable.Response> answer(String body) {
    return CompletableFuture.completedFuture(new RouteTable.Response(200, body));
  }

  private Object body(HttpMethod method, String uri, Auth.Principal who) {
    return table.route(method, new QueryStringDecoder(uri), "", who).join().body();
  }

  private ApiError refusal(HttpMethod method, String uri, Auth.Principal who) {
    return assertThrows(ApiError.class, () -> table.route(method, new QueryStringDecoder(uri), "", who));
  }

  @Test
  void patternsMatchLiteralSegmentsAndCaptureTheOthers() {
    assertEquals("list", body(GET, "/api/blocks", HEAD));
    assertEquals("list", body(GET, "/api/blocks/", HEAD), "a trailing slash is the same path");
    assertEquals("delete example.com", body(DELETE, "/api/blocks/example.com", HEAD));
    assertEquals("approve 12 y", body(POST, "/api/reports/12/approve?x=y", HEAD));
    assertEquals("report by mr.staff", body(POST, "/api/reports", STAFF));
  }

  @Test
  void aRoleNotAllowedOnTheRouteGets403() {
    ApiError e = refusal(GET, "/api/blocks", STAFF);
    assertEquals(403, e.status());
    assertEquals("Your account (staff) may not do this", e.getMessage());
  }

  @Test
  void whatNoRouteTakesGets404NamingThePathAndTheMethodWhenTheResourceExists() {
    ApiError unknown = refusal(GET, "/api/nothing", HEAD);
    assertEquals(404, unknown.status());
    assertEquals("There is nothing at /api/nothing", unknown.getMessage());
    ApiError wrongMethod = refusal(POST, "/api/blocks/example.com", HEAD);
    assertEquals(404, wrongMethod.status(), "a wrong method is 404, as the API always answered");
    assertEquals("There is nothing at POST /api/blocks/example.com", wrongMethod.getMessage());
    assertEquals("There is nothing at POST /api/reports/12/reopen", refusal(POST, "/api/reports/12/reopen", HEAD).getMessage());
  }

  @Test
  void outsideTheApiIs404ForAnyoneAndInsideItStaffGet403BeforeThePathIsChecked() {
    assertEquals("There is nothing at /", refusal(GET, "/", STAFF).getMessage());
    assertEquals(404, refusal(GET, "/api", STAFF).status());
    assertEquals(404, refusal(GET, "/other/blocks", STAFF).status());
    assertEquals(403, refusal(GET, "/api/nothing", STAFF).status());
    assertEquals(403, refusal(GET, "/api/reports/12", STAFF).status());
  }
}
