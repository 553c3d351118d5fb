package org.schoolgate.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.values.HostSyntax;

/**
 * Which hosts go to which enforced front end (SPEC section 10), compiled from the data shipped
 * in the jar ({@code safe-search.txt}; the configuration reads it). Hosts match exactly, never
 * their subdomains: {@code www.google.com} is rerouted, {@code mail.google.com} is not.
 *
 * <p>The text is sections of host names, each under a header line:
 * <pre>
 *   safe_search ENGINE FRONT-END                             for groups with safe_search: true
 *   youtube ENGINE strict=FRONT-END moderate=FRONT-END       for groups with youtube: strict or moderate
 * </pre>
 * followed by host names, several to a line; {@code #} starts a comment. A new engine is a new
 * section. For each combination of a group's two settings the lookup is one {@link HashMap}
 * from the already-normalised host, built once: a decision allocates nothing to ask it.
 */
public final class SearchFrontEnds {
  public static final SearchFrontEnds NONE = new SearchFrontEnds(Map.of(), Map.of(), Map.of(), Map.of());

  private final Map<String, Set<String>> hostsByEngine;
  /** Indexed by {@code (safeSearch ? 3 : 0) + youtube.ordinal()}; null where nothing is rerouted. */
  private final Map<String, Reroute>[] bySettings;

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of maps: one load per lookup
  private SearchFrontEnds(Map<String, Set<String>> hostsByEngine, Map<String, Reroute> search,
                          Map<String, Reroute> strict, Map<String, Reroute> moderate) {
    this.hostsByEngine = Collections.unmodifiableMap(hostsByEngine);
    this.bySettings = new Map[6];
    for (boolean safeSearch : new boolean[] {false, true}) {
      for (YouTubeMode mode : YouTubeMode.values()) {
        Map<String, Reroute> m = new HashMap<>();
        if (safeSearch) {
          m.putAll(search);
        }
        m.putAll(mode == YouTubeMode.STRICT ? strict : mode == YouTubeMode.MODERATE ? moderate : Map.of());
        bySettings[index(safeSearch, mode)] = m.isEmpty() ? null : m;
      }
    }
  }

  private static int index(boolean safeSearch, YouTubeMode youtube) {
    return (safeSearch ? 3 : 0) + youtube.ordinal();
  }

  /** The hosts rerouted for a group with these settings (host to front end), or null when there are none. */
  Map<String, Reroute> forGroup(boolean safeSearch, YouTubeMode youtube) {
    return bySettings[index(safeSearch, youtube)];
  }

  /** Where a group with these settings is sent for {@code host} (normalised), or null. */
  public Reroute reroute(String host, boolean safeSearch, YouTubeMode youtube) {
    Map<String, Reroute> m = forGroup(safeSearch, youtube);
    return m == null ? null : m.get(host);
  }

  /** The engines in file order, each with its hosts. */
  public Map<String, Set<String>> hostsByEngine() {
    return hostsByEngine;
  }

  /** @throws IllegalArgumentException naming the line of the first problem */
  public static SearchFrontEnds parse(List<String> lines) {
    Map<String, Set<String>> hostsByEngine = new LinkedHashMap<>();
    Map<String, Reroute> search = new HashMap<>();
    Map<String, Reroute> strict = new HashMap<>();
    Map<String, Reroute> moderate = new HashMap<>();
    Map<String, Integer> seenAt = new HashMap<>();
    Section section = null;
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String raw = lines.get(i);
      int hash = raw.indexOf('#');
      String[] words = (hash >= 0 ? raw.substring(0, hash) : raw).trim().split("\\s+");
      if (words[0].isEmpty()) {
        continue;
      }
      if (words[0].equals("safe_search") || words[0].equals("youtube")) {
        if (section != null && section.hosts.isEmpty()) {
          throw problem(section.line, "the section for " + section.engine + " lists no hosts");
        }
        section = Section.of(words, lineNo);
        if (hostsByEngine.containsKey(section.engine)) {
          throw problem(lineNo, "a second section for " + section.engine);
        }
        hostsByEngine.put(section.engine, section.hosts);
        continue;
      }
      if (section == null) {
        throw problem(lineNo, "host names before any \"safe_search\" or \"youtube\" line");
      }
      for (String host : words) {
        name(host, lineNo);
        Integer earlier = seenAt.putIfAbsent(host, lineNo);
        if (earlier != null) {
          throw problem(lineNo, host + " is already listed on line " + earlier);
        }
        section.hosts.add(host);
        if (section.search != null) {
          search.put(host, section.search);
        } else {
          strict.put(host, section.strict);
          moderate.put(host, section.moderate);
        }
      }
    }
    if (section != null && section.hosts.isEmpty()) {
      throw problem(section.line, "the section for " + section.engine + " lists no hosts");
    }
    hostsByEngine.replaceAll((engine, hosts) -> Collections.unmodifiableSet(hosts));
    return new SearchFrontEnds(hostsByEngine, search, strict, moderate);
  }

  /** One header line and the hosts under it. */
  private record Section(int line, String engine, Reroute search, Reroute strict, Reroute moderate, Set<String> hosts) {
    static Section of(String[] words, int line) {
      if (words[0].equals("safe_search")) {
        if (words.length != 3) {
          throw problem(line, "write it as: safe_search ENGINE FRONT-END");
        }
        Reroute r = new Reroute(name(words[2], line), words[1], "safe search enforced (" + words[1] + ")");
        return new Section(line, words[1], r, null, null, new LinkedHashSet<>());
      }
      Map<String, String> modes = new HashMap<>();
      for (int w = 2; w < words.length; w++) {
        int eq = words[w].indexOf('=');
        if (eq < 0 || modes.put(words[w].substring(0, eq), name(words[w].substring(eq + 1), line)) != null) {
          throw problem(line, "write it as: youtube ENGINE strict=FRONT-END moderate=FRONT-END");
        }
      }
      if (words.length != 4 || !modes.containsKey("strict") || !modes.containsKey("moderate")) {
        throw problem(line, "write it as: youtube ENGINE strict=FRONT-END moderate=FRONT-END");
      }
      String engine = words[1];
      return new Section(line, engine, null,
          new Reroute(modes.get("strict"), engine, "restricted mode enforced (" + engine + ", strict)"),
          new Reroute(modes.get("moderate"), engine, "restricted mode enforced (" + engine + ", moderate)"),
          new LinkedHashSet<>());
    }
  }

  /** A host name as the policy compares it (lower case, punycode, no trailing dot), or a problem. */
  private static String name(String host, int line) {
    if (!host.equals(HostSyntax.normalise(host)) || HostSyntax.isIpLiteral(host) || host.indexOf('.') < 0) {
      throw problem(line, "\"" + host + "\" is not a host name written in lower case");
    }
    return host;
  }

  private static IllegalArgumentException problem(int line, String message) {
    return new IllegalArgumentException("line " + line + ": " + message);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    hostsByEngine.forEach((engine, hosts) -> parts.add(engine + " " + hosts.size()));
    return "SearchFrontEnds" + parts;
  }
}
