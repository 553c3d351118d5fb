package org.schoolgate.console;

import java.util.Set;
import org.schoolgate.proxy.Categories;
import org.schoolgate.store.Rows;

/** The policy in a headteacher's words, shared by the console's pages and the annual review. */
public final class Words {
  private Words() {}

  /** Categories in plain English, sorted by name, or "nothing". */
  public static String categories(Set<String> categories) {
    return categories.isEmpty() ? "nothing" : String.join(", ", categories.stream().sorted().map(Categories::plain).toList());
  }

  /** Whom a lesson allowance is for: "the year9 group" or "the device 10.10.4.21". */
  public static String allowedFor(Rows.OverrideRow o) {
    return o.group() != null ? "the " + o.group() + " group" : "the device " + o.client();
  }

  /** What a lesson allowance allows: its categories in plain English, or its sites. */
  public static String allowed(Rows.OverrideRow o) {
    return o.categories().isEmpty() ? String.join(", ", o.domains())
        : String.join(", ", o.categories().stream().map(Categories::plain).toList());
  }
}
