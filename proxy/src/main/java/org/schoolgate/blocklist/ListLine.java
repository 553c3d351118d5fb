package org.schoolgate.blocklist;

import java.util.ArrayList;
import java.util.List;
import org.schoolgate.values.HostSyntax;

/**
 * Parses one line of a category list. Accepted: {@code facebook.com}, {@code *.facebook.com},
 * a hosts-file line {@code 0.0.0.0 facebook.com}, an adblock rule {@code ||facebook.com^};
 * {@code #} starts a comment (and {@code !} in adblock lists); blank lines are nothing.
 */
public final class ListLine {
  /** Names hosts files map to themselves; they are not entries, and not errors either. */
  private static final java.util.Set<String> HOSTS_BOILERPLATE = java.util.Set.of("localhost", "localhost.localdomain",
      "local", "broadcasthost", "ip6-localhost", "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes",
      "ip6-allrouters", "ip6-allhosts", "0.0.0.0");

  private ListLine() {}

  /** Result of one line: the domains it names, or a problem. */
  public record Parsed(List<String> domains, String problem) {
    static final Parsed NOTHING = new Parsed(List.of(), null);
  }

  public static Parsed parse(String raw) {
    String line = raw;
    int hash = line.indexOf('#');
    if (hash >= 0) {
      line = line.substring(0, hash);
    }
    line = line.strip();
    if (line.isEmpty() || line.charAt(0) == '!' || (line.charAt(0) == '[' && line.endsWith("]"))) {
      // blank, an adblock comment, or an adblock header such as [Adblock Plus 2.0]
      return Parsed.NOTHING;
    }
    if (line.startsWith("||")) {
      if (!line.endsWith("^")) {
        return problem(raw, "is an adblock rule this list format does not take (only ||domain^)");
      }
      return single(line.substring(2, line.length() - 1), raw);
    }
    int space = indexOfWhitespace(line);
    if (space > 0) {
      String first = line.substring(0, space);
      if (!HostSyntax.isIpLiteral(first)) {
        return problem(raw, "is not a domain");
      }
      List<String> out = new ArrayList<>(1);
      for (String name : line.substring(space + 1).strip().split("\\s+")) {
        if (HOSTS_BOILERPLATE.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          continue;
        }
        Parsed p = single(name, raw);
        if (p.problem != null) {
          return p;
        }
        out.addAll(p.domains);
      }
      return new Parsed(out, null);
    }
    if (line.startsWith("*.")) {
      return single(line.substring(2), raw);
    }
    return single(line, raw);
  }

  private static Parsed single(String candidate, String raw) {
    String d = HostSyntax.normalise(candidate);
    if (d == null) {
      return problem(raw, "is not a domain");
    }
    if (HostSyntax.isIpLiteral(d)) {
      return problem(raw, "is an IP address; lists hold domain names");
    }
    if (d.indexOf('.') < 0) {
      return problem(raw, "is a single label; a list entry must be a domain like example.com");
    }
    return new Parsed(List.of(d), null);
  }

  private static Parsed problem(String raw, String message) {
    String shown = raw.strip();
    if (shown.length() > 80) {
      shown = shown.substring(0, 77) + "...";
    }
    return new Parsed(List.of(), '"' + shown + "\" " + message);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
