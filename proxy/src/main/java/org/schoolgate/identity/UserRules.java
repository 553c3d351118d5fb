package org.schoolgate.identity;

import java.util.List;
import java.util.Locale;
import org.schoolgate.config.Config;

/**
 * {@code identity.users}: the group a user name gives, by the first rule that matches (SPEC 15).
 * A rule is an exact name, {@code *@domain} (that domain exactly, never a subdomain of it) or
 * {@code prefix*}; names and rules compare case-insensitively (rules are stored lower case).
 */
public final class UserRules {
  private final List<Config.UserRule> rules;

  public UserRules(List<Config.UserRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The group of the first rule {@code user} matches, or null (the address keeps its network's group). */
  public String groupOf(String user) {
    if (user == null) {
      return null;
    }
    String u = user.toLowerCase(Locale.ROOT);
    for (Config.UserRule r : rules) {
      if (matches(r.match(), u)) {
        return r.group();
      }
    }
    return null;
  }

  static boolean matches(String rule, String user) {
    if (rule.startsWith("*@")) {
      int at = user.lastIndexOf('@');
      return at >= 0 && user.substring(at + 1).equals(rule.substring(2));
    }
    if (rule.endsWith("*")) {
      return user.startsWith(rule.substring(0, rule.length() - 1));
    }
    return user.equals(rule);
  }
}
