package org.schoolgate.lists;

import java.time.Instant;
import java.util.Map;

/**
 * One subscription as {@code GET /api/lists}, the console and the {@code lists} command show it.
 * Times are null for never; {@code entries} are the per-category counts of the copy in force.
 */
public record ListStatus(String name, String url, String format, String licence, boolean enabled, Instant lastAttempt,
                         Instant lastSuccess, String lastError, String etag, String sha256, Map<String, Integer> entries,
                         Instant nextAttempt, Instant copyFetchedAt) {
  /** Whether a good copy is in force. */
  public boolean hasCopy() {
    return copyFetchedAt != null;
  }

  /** The state in words, for people. */
  public String state() {
    if (!enabled) {
      return hasCopy() ? "Turned off (its last copy is kept but not used)" : "Turned off";
    }
    if (lastError != null && !hasCopy()) {
      return "Not in use yet: its first download failed";
    }
    if (lastError != null) {
      return "In use, but the last download was refused (the last good copy stays in force)";
    }
    return hasCopy() ? "In use and up to date" : "Waiting for its first download";
  }

  /** The publisher: the host the list comes from. */
  public String publisher() {
    return java.net.URI.create(url).getHost();
  }
}
