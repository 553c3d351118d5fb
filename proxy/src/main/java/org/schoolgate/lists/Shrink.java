package org.schoolgate.lists;

import java.util.Map;

/** A copy that would shrink any category to less than half of the last good copy is refused (a truncated or broken publication). */
final class Shrink {
  private Shrink() {}

  static void check(Map<String, Integer> before, Map<String, Integer> after) throws Refusal {
    for (Map.Entry<String, Integer> e : before.entrySet()) {
      int now = after.getOrDefault(e.getKey(), 0);
      if ((long) now * 2 < e.getValue()) {
        throw new Refusal("shrink", "the new copy would shrink " + e.getKey() + " from " + e.getValue() + " to " + now
            + " domains, less than half of the last good copy");
      }
    }
  }
}
