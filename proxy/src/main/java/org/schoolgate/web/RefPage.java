package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static org.schoolgate.web.Forms.param;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.admin.ApiError;
import org.schoolgate.console.RefView;
import org.schoolgate.console.templates.JtelookupGenerated;
import org.schoolgate.log.AccessRefs;
import org.schoolgate.policy.Policy;
import org.schoolgate.proxy.Categories;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.Roles;

/**
 * "Look up a reference" (issue 24): the block behind a block page's reference, found in the
 * access log ({@link AccessRefs}), with "allow for this lesson" and "block for everyone" next to
 * it (posting to the Allow and Blocked sites forms). {@code GET /api/refs/{ref}} is its twin for scripts.
 */
final class RefPage {
  private final AdminService service;
  private final AccessRefs refs;
  private final PageWords words;

  RefPage(AdminService service, AccessRefs refs, PageWords words) {
    this.service = service;
    this.refs = refs;
    this.words = words;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/ref", Roles.MANAGERS, r -> show(param(r.uri(), "ref")))
        .add(GET, "/api/refs/{ref}", Roles.MANAGERS, r -> CompletableFuture.completedFuture(
            new RouteTable.Response(200, line(r.capture("ref")))));
  }

  /** The access line of {@code typed}, or a 400 (not a reference) or 404 (not in the last days). */
  private JsonNode line(String typed) {
    String ref = AccessRefs.normalise(typed);
    if (ref == null) {
      throw new ApiError(400, "That is not a reference: a block page's reference looks like 7QKM-3XHD.");
    }
    try {
      JsonNode found = refs.find(ref);
      if (found == null) {
        throw new ApiError(404, "The reference " + ref + " was not found in the last " + AccessRefs.DAYS
            + " days of the filter's records. Check it was copied exactly from the block page.");
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Page show(String typed) {
    if (typed == null || typed.isBlank()) {
      return Page.of("Look up a reference", "ref", (out, v) -> JtelookupGenerated.render(out, null, v, "", null, null));
    }
    String shownRef = typed.length() > 20 ? typed.substring(0, 20) : typed;
    try {
      RefView found = view(line(typed));
      return Page.of("Look up a reference", "ref", (out, v) -> JtelookupGenerated.render(out, null, v, shownRef, found, null));
    } catch (ApiError e) {
      return Page.of(e.status(), "Look up a reference", "ref",
          (out, v) -> JtelookupGenerated.render(out, null, v, shownRef, null, e.getMessage()));
    }
  }

  private RefView view(JsonNode l) {
    String host = l.path("host").asText("");
    String rule = l.path("rule").asText(null);
    String category = l.path("category").asText(null);
    // the listed domain the rule names ("social:facebook.com"), when the host is under it; else the host itself
    String site = host;
    if (rule != null && rule.indexOf(':') > 0) {
      String domain = rule.substring(rule.indexOf(':') + 1);
      if (host.equals(domain) || host.endsWith("." + domain)) {
        site = domain;
      }
    }
    boolean blocked = "block".equals(l.path("decision").asText());
    String address = l.path("client").asText("");
    String path = l.path("path").asText("");
    Instant until = words.untils().get(0).at(); // Allow's first choice
    return new RefView(l.path("ref").asText(), words.label(address, l.path("mac").asText(null)), l.path("user").asText(null),
        address, words.when(l.path("ts").asText(null)), l.path("group").asText(""), category == null ? "none" : Categories.plain(category),
        rule == null ? "none" : rule, blocked, host + path, site,
        blocked && !Policy.CIRCUMVENTION.equals(category) && !l.path("group").asText("").isEmpty(),
        service.format(until), words.when(service.format(until)));
  }
}
