package org.schoolgate.policy;

/** A group's YouTube restricted mode ({@code groups.NAME.youtube}). */
public enum YouTubeMode {
  OFF, MODERATE, STRICT;

  /** The word the configuration uses. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
