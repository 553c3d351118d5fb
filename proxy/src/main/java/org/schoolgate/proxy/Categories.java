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
      Map.entry("adult", "adult content (pornography)"),
      Map.entry("gambling", "gambling"),
      Map.entry("drugs", "drugs and substance abuse"),
      Map.entry("extremism", "extremist content"),
      Map.entry("self-harm", "self-harm or suicide content"),
      Map.entry("violence", "violent content or weapons"),
      Map.entry("malware", "malware, phishing or hacking"),
      Map.entry("piracy", "piracy (copied films, music, games or books)"),
      Map.entry("discrimination", "hate or discrimination"),
      Map.entry("dating", "a dating site"),
      Map.entry("reported", "blocked by the headteacher"),
      Map.entry("supervision", "not on this device's list of learning sites"),
      Map.entry("self", "the school's filter itself"));

  private Categories() {}

  /** Whether the category has words of its own (rather than its name with spaces). */
  public static boolean hasWords(String category) {
    return PLAIN.containsKey(category);
  }

  public static String plain(String category) {
    if (category == null) {
      return "not allowed";
    }
    return PLAIN.getOrDefault(category, category.replace('-', ' '));
  }
}
