package org.schoolgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.values.Cidr;

/** Field readers several sections share: durations, paths relative to the file, lists of domains and of CIDR blocks. */
final class Fields {
  private Fields() {}

  static Duration duration(Node n, Duration dflt) {
    if (n.isNull()) {
      return dflt;
    }
    Duration d = n.as(Durations::parse, true);
    if (d != null && d.isZero()) {
      n.problem("must be more than zero");
    }
    return d == null ? dflt : d;
  }

  static Path path(Path dir, Node n, boolean required) {
    String t = n.text(required);
    if (t == null || t.isBlank()) {
      if (t != null && required) {
        n.problem("is required");
      }
      return null;
    }
    return dir.resolve(t).normalize();
  }

  /** A list of CIDR blocks; each bad one is reported against its item. */
  static List<Cidr> cidrs(Node n) {
    List<Cidr> out = new ArrayList<>();
    for (Node item : n.items()) {
      Cidr c = item.as(Cidr::parse, true);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  static List<String> hostList(Node n) {
    List<String> out = new ArrayList<>();
    for (Node item : n.items()) {
      String h = item.as(ConfigValues::domain, true);
      if (h != null) {
        out.add(h);
      }
    }
    return out;
  }
}
