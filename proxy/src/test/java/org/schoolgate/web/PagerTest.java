package org.schoolgate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The console's pages of a list held whole (blocks, allowances, supervised devices, accounts): issue 21.1. */
class PagerTest {
  private static final List<Integer> ROWS = IntStream.range(0, 120).boxed().toList();

  @Test
  void theFirstPageHoldsFiftyAndLinksOnlyOlder() {
    Pager.Slice<Integer> first = Pager.slice(new QueryStringDecoder("/blocks?site=x"), ROWS);
    assertEquals(IntStream.range(0, 50).boxed().toList(), first.rows());
    assertNull(first.paging().newer());
    assertEquals("/blocks?site=x&from=50", first.paging().older());
  }

  @Test
  void theMiddleAndLastPagesLinkBackAndOn() {
    Pager.Slice<Integer> middle = Pager.slice(new QueryStringDecoder("/blocks?from=50"), ROWS);
    assertEquals(50, middle.rows().get(0));
    assertEquals("/blocks", middle.paging().newer(), "back to the first page");
    assertEquals("/blocks?from=100", middle.paging().older());
    Pager.Slice<Integer> last = Pager.slice(new QueryStringDecoder("/blocks?from=100"), ROWS);
    assertEquals(IntStream.range(100, 120).boxed().toList(), last.rows());
    assertEquals("/blocks?from=50", last.paging().newer());
    assertNull(last.paging().older());
  }

  @Test
  void anOddFromIsReadSafely() {
    assertEquals(0, Pager.slice(new QueryStringDecoder("/blocks?from=minus"), ROWS).rows().get(0));
    assertEquals(0, Pager.slice(new QueryStringDecoder("/blocks?from=-7"), ROWS).rows().get(0));
    Pager.Slice<Integer> past = Pager.slice(new QueryStringDecoder("/blocks?from=99999999"), ROWS);
    assertEquals(List.of(), past.rows());
    assertNull(past.paging().older());
    assertEquals(List.of(), Pager.slice(new QueryStringDecoder("/blocks"), List.<Integer>of()).rows());
  }
}
