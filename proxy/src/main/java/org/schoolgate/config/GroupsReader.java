package org.schoolgate.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.schoolgate.policy.YouTubeMode;

/**
 * The {@code groups} section: each group's {@code block} and {@code block_in_lessons}, its
 * {@code safe_search} and {@code youtube} (SPEC section 10, both off unless set), and (once the
 * blocklists folder is known) that every category named has a list.
 */
final class GroupsReader {
  private GroupsReader() {}

  static final class Draft {
    final Set<String> block = new LinkedHashSet<>();
    final Set<String> blockInLessons = new LinkedHashSet<>();
    boolean safeSearch;
    YouTubeMode youtube = YouTubeMode.OFF;
    /** Every category named in block, then in block_in_lessons, with its node: checked against the lists later. */
    final List<Map.Entry<Node, String>> named = new ArrayList<>();
  }

  static Map<String, Draft> read(Node n) {
    Map<String, Draft> out = new LinkedHashMap<>();
    if (n.isNull()) {
      n.problem("is required: at least one group, e.g. pupils: {block: [social]}");
      return out;
    }
    for (Map.Entry<String, Node> e : n.entries()) {
      Node g = e.getValue();
      checkName(g, e.getKey());
      Draft d = new Draft();
      if (!g.isNull()) {
        g.checkKeys(Set.of("block", "block_in_lessons", "safe_search", "youtube"));
      }
      d.safeSearch = Boolean.TRUE.equals(g.get("safe_search").as(ConfigValues::bool, false));
      YouTubeMode youtube = g.get("youtube").as(ConfigValues::youtubeMode, false);
      d.youtube = youtube == null ? YouTubeMode.OFF : youtube;
      for (Node item : g.get("block").items()) {
        String c = item.text(true);
        if (c != null) {
          d.named.add(Map.entry(item, c));
        }
        if (c != null && !d.block.add(c)) {
          item.problem('"' + c + "\" is listed twice");
        }
      }
      for (Node item : g.get("block_in_lessons").items()) {
        String c = item.text(true);
        if (c != null) {
          d.named.add(Map.entry(item, c));
        }
        if (c != null && !d.blockInLessons.add(c)) {
          item.problem('"' + c + "\" is listed twice");
        }
        if (c != null && d.block.contains(c)) {
          item.problem('"' + c + "\" is already blocked at all times (in block)");
        }
      }
      out.put(e.getKey(), d);
    }
    return out;
  }

  private static void checkName(Node n, String name) {
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
      n.problem("group names are lower-case letters, digits, - and _");
    }
  }

  static void checkCategories(Map<String, Draft> groups, Path blocklists, Node blocklistsNode) {
    if (blocklists == null) {
      return;
    }
    Set<String> available;
    try {
      available = CategoryFiles.scan(blocklists).keySet();
    } catch (IOException e) {
      blocklistsNode.problem("cannot read the folder " + blocklists + ": " + e.getMessage());
      return;
    }
    for (Draft g : groups.values()) {
      for (Map.Entry<Node, String> named : g.named) {
        checkKnown(named.getKey(), named.getValue(), available);
      }
    }
  }

  /** The lists were read once, by groups(): reading them again here reported a malformed list twice. */
  private static void checkKnown(Node item, String c, Set<String> available) {
    if (!available.contains(c) && !ConfigLoader.BUILT_IN_CATEGORIES.contains(c)) {
      item.problem("unknown category \"" + c + "\" (no " + c + ".txt or " + c + "/domains in the blocklists folder; known: "
          + String.join(", ", new TreeSet<>(available)) + ")");
    }
  }
}
