package org.schoolgate.values;

/** What a site (a school of a trust) may be called: {@code site:} in the configuration, a block's site. */
public final class SiteName {
  private SiteName() {}

  /** Letters, digits, '.', '_' and '-', at most 63, starting with a letter or digit (like {@code mellers-primary}). */
  public static boolean valid(String name) {
    return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  }
}
