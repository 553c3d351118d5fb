package org.schoolgate.review;

import java.util.HashSet;
import java.util.Set;

/**
 * Visits rather than connections (issue 24.5): one page view opens many requests and tunnels, so
 * counts take one visit per device, site and minute (as attempts do, issue 20.7). Used on one
 * thread (the log writer's); holds the keys of the current minute only, at most {@link #MAX} of them.
 */
final class Visits {
  static final int MAX = 200_000;

  private final Set<String> seen = new HashSet<>();
  private long minute = Long.MIN_VALUE;

  /** Whether this line is the first of its device, site and decision in its minute ({@code epochSecond}). */
  boolean first(long epochSecond, String client, String host, String decision) {
    long m = Math.floorDiv(epochSecond, 60);
    if (m != minute || seen.size() >= MAX) {
      minute = m;
      seen.clear();
    }
    return seen.add(client + ' ' + host + ' ' + decision);
  }
}
