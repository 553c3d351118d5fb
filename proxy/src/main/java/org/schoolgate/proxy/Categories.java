package org.schoolgate.proxy;

import java.util.Map;

/** Category names in words a child (or a headteacher) understands. */
public final class Categories {
  private static final Map<String, String> PLAIN = Map.ofEntries(
      Map.entry("social", "social networking"),
      Map.entry("forums", "an online forum"),
      Map.entry("chat", "chat and messaging"),
      Map.entry("media-sharing", "video and photo sharing"),
      Map.entry("microblogging", "micro-blogging"),
      Map.entry("circumvention", "a way of getting round the school's filter"),
      Map.entry("reported", "a site reported to the headteacher"),
      Map.entry("supervision", "not on this device's list of learning sites"),
      Map.entry("self", "the school's filter itself"));

  private Categories() {}

  public static String plain(String category) {
    if (category == null) {
      return "not allowed";
    }
    return PLAIN.getOrDefault(category, category.replace('-', ' '));
  }
}
