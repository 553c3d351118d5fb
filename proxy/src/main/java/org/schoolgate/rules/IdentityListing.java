package org.schoolgate.rules;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.admin.ApiError;
import org.schoolgate.store.Rows;
import org.schoolgate.values.HostSyntax;

/**
 * Who is on which device now (SPEC 15), one page at a time, for {@code GET /api/identities} and the
 * console's page: every site's mappings (a trust's gateways share them), by site and user. The group
 * is the one this gateway's policy gives the address (the user's rule, else the network's) for its
 * own site; another school's networks are not known here, so its rows carry none.
 */
public final class IdentityListing {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  /** One page: its rows, and where it is in the whole. */
  public record Page(long total, int offset, int limit, List<Map<String, Object>> identities) {}

  private record Read(String site, long total, List<Rows.Identity> rows) {}

  private IdentityListing() {}

  public static CompletableFuture<Page> page(AdminService service, String limitParam, String offsetParam) {
    int limit = number(limitParam, DEFAULT_LIMIT, 1, MAX_LIMIT, "limit");
    int offset = number(offsetParam, 0, 0, 1_000_000, "offset");
    return service.store().transaction(ops -> new Read(ops.site(), ops.identities().count(), ops.identities().all(limit, offset)))
        .thenApply(r -> {
          String site = r.site();
          List<Rows.Identity> rows = r.rows();
          List<Map<String, Object>> out = new ArrayList<>(rows.size());
          for (Rows.Identity i : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("site", i.site());
            o.put("address", i.address());
            o.put("user", i.user());
            InetAddress a = HostSyntax.ipAddress(i.address());
            boolean here = i.site().equals(site == null ? "" : site);
            o.put("group", here && a != null ? service.engine().policy().groupOf(a) : null);
            o.put("name", here ? service.names().nameOf(i.address(), null) : null);
            o.put("since", i.since());
            o.put("updated", service.format(Instant.ofEpochMilli(i.updatedMs())));
            o.put("session_id", i.sessionId());
            o.put("nas", i.nas());
            out.add(o);
          }
          return new Page(r.total(), offset, limit, out);
        });
  }

  private static int number(String s, int dflt, int min, int max, String name) {
    if (s == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(s);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiError(400, name + " is a whole number from " + min + " to " + max);
    }
  }
}
