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

  /** One page of a list the gateway holds whole anyway (blocks, allowances, supervised devices), as the API's {@code ?offset=}. */
  record Slice<T>(List<T> rows, Items.Paging paging) {}

  /** The rows from {@code ?from=} (0 when absent or not a whole number), {@link Items.Paging#SIZE} of them, with their links. */
  static <T> Slice<T> slice(QueryStringDecoder uri, List<T> all) {
    List<String> v = uri.parameters().get(FROM);
    int from;
    try {
      from = v == null || v.isEmpty() ? 0 : Math.max(0, Integer.parseInt(v.get(0)));
    } catch (NumberFormatException e) {
      from = 0;
    }
    from = Math.min(from, all.size());
    int to = Math.min(all.size(), from + Items.Paging.SIZE);
    String newer = from > 0 ? link(uri, FROM, from - Items.Paging.SIZE > 0 ? Integer.toString(from - Items.Paging.SIZE) : null) : null;
    String older = to < all.size() ? link(uri, FROM, Integer.toString(to)) : null;
    return new Slice<>(List.copyOf(all.subList(from, to)), new Items.Paging(newer, older));
  }

  private static final String FROM = "from";

  private static String link(QueryStringDecoder uri, String before) {
    return link(uri, "before", before);
  }

  private static String link(QueryStringDecoder uri, String param, String value) {
    QueryStringEncoder e = new QueryStringEncoder(uri.path());
    uri.parameters().forEach((name, values) -> {
      if (!name.equals(param)) {
        values.forEach(v -> e.addParam(name, v));
      }
    });
    if (value != null) {
      e.addParam(param, value);
    }
    return e.toString();
  }
}
