package org.schoolgate.web;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.util.List;
import java.util.function.ToLongFunction;
import org.schoolgate.console.Items;

/**
 * The "Newer" and "Older" links of a console list read newest first by {@code ?before=} (issue
 * 21.1): older goes on below the last id shown when the page is full; newer goes back to the
 * newest page (keyset pages are cheap from the top, whatever the store holds).
 */
final class Pager {
  private Pager() {}

  static <T> Items.Paging of(QueryStringDecoder uri, List<T> rows, ToLongFunction<T> id) {
    boolean paged = uri.parameters().containsKey("before");
    String newer = paged ? link(uri, null) : null;
    String older = rows.size() >= Items.Paging.SIZE ? link(uri, Long.toString(id.applyAsLong(rows.get(rows.size() - 1)))) : null;
    return new Items.Paging(newer, older);
  }

  /** The page's {@code ?before=}: 0 (the newest) when absent or not a positive whole number. */
  static long before(QueryStringDecoder uri) {
    List<String> v = uri.parameters().get("before");
    try {
      return v == null || v.isEmpty() ? 0 : Math.max(0, Long.parseLong(v.get(0)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String link(QueryStringDecoder uri, String before) {
    QueryStringEncoder e = new QueryStringEncoder(uri.path());
    uri.parameters().forEach((name, values) -> {
      if (!name.equals("before")) {
        values.forEach(v -> e.addParam(name, v));
      }
    });
    if (before != null) {
      e.addParam("before", before);
    }
    return e.toString();
  }
}
