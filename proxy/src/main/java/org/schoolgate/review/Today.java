package org.schoolgate.review;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.AccessTap;

/**
 * Today at a glance for the console's overview (issue 24.11), fed by every access line on the log
 * writer thread: visits (one per device, site and minute) and how many were blocked, the most
 * blocked sites and the busiest devices, and the last {@value #LINES} blocks of the day, newest
 * first. Background traffic of browsers and operating systems ({@link Background}) is counted
 * apart, not among the sites or the lines. Everything is bounded ({@value #KEYS} sites and devices,
 * {@value #LINES} lines) and starts again at midnight in the school's time zone; it lives in memory
 * (a restart starts the day's figures again; the access log and the review's counters keep it all).
 */
public final class Today implements AccessTap {
  public static final int LINES = 5000;
  public static final int KEYS = 20_000;

  /** One blocked visit as the access line said it; {@code seq} orders the lines (the console pages by it). */
  public record Line(long seq, Instant ts, String client, String name, String user, String group, String host,
                     String category, String rule, String ref) {}

  public record Count(String key, String label, long n) {}

  /** The day's figures; {@code others} visits to sites or devices past the {@value #KEYS} kept. */
  public record Glance(LocalDate day, long visits, long blocked, long background, List<Count> sites, List<Count> devices,
                       long others) {}

  private final ZoneId zone;
  private final Visits visits = new Visits();
  private final Map<String, long[]> sites = new HashMap<>();
  private final Map<String, long[]> devices = new HashMap<>();
  private final Map<String, String> names = new HashMap<>();
  private final ArrayDeque<Line> lines = new ArrayDeque<>();
  private LocalDate day;
  private long seq;
  private long total;
  private long blocked;
  private long background;
  private long others;

  public Today(ZoneId zone) {
    this.zone = zone;
  }

  @Override
  public synchronized void access(AccessRecord r) {
    LocalDate d = LocalDate.ofInstant(r.ts(), zone);
    if (day == null || d.isAfter(day)) {
      day = d;
      sites.clear();
      devices.clear();
      names.clear();
      lines.clear();
      total = blocked = background = others = 0;
    } else if (d.isBefore(day)) {
      return; // a line of yesterday written after midnight
    }
    String host = r.host() == null ? "" : r.host().toLowerCase(Locale.ROOT);
    if (!visits.first(r.ts().getEpochSecond(), r.client(), host, r.decision())) {
      return;
    }
    boolean block = "block".equals(r.decision());
    if (Background.is(host)) {
      background++;
      return;
    }
    total++;
    add(devices, r.client());
    if (r.name() != null || r.user() != null) {
      if (names.size() < KEYS || names.containsKey(r.client())) {
        names.put(r.client(), label(r));
      }
    }
    if (block) {
      blocked++;
      add(sites, host);
      lines.addFirst(new Line(++seq, r.ts(), r.client(), r.name(), r.user(), r.group(), host, r.category(), r.rule(),
          r.ref()));
      if (lines.size() > LINES) {
        lines.removeLast();
      }
    }
  }

  @Override
  public void idle(boolean closing) {}

  /** The figures of {@code today} (zero when nothing has been seen today), with the {@code top} sites and devices. */
  public synchronized Glance glance(LocalDate today, int top) {
    if (!today.equals(day)) {
      return new Glance(today, 0, 0, 0, List.of(), List.of(), 0);
    }
    return new Glance(day, total, blocked, background, top(sites, top, Map.of()), top(devices, top, names), others);
  }

  /**
   * Today's blocks, newest first: at most {@code limit} lines older than {@code before} (0: from the
   * newest) whose site, device, name, person or group contains {@code search} (null: every line).
   */
  public synchronized List<Line> blocks(LocalDate today, String search, long before, int limit) {
    if (!today.equals(day)) {
      return List.of();
    }
    String s = search == null || search.isBlank() ? null : search.strip().toLowerCase(Locale.ROOT);
    List<Line> out = new ArrayList<>();
    for (Iterator<Line> it = lines.iterator(); it.hasNext() && out.size() < limit; ) {
      Line l = it.next();
      if ((before <= 0 || l.seq() < before) && (s == null || matches(l, s))) {
        out.add(l);
      }
    }
    return out;
  }

  private static boolean matches(Line l, String s) {
    return contains(l.host(), s) || contains(l.client(), s) || contains(l.name(), s) || contains(l.user(), s)
        || contains(l.group(), s);
  }

  private static boolean contains(String field, String s) {
    return field != null && field.toLowerCase(Locale.ROOT).contains(s);
  }

  private void add(Map<String, long[]> map, String key) {
    long[] n = map.get(key);
    if (n == null) {
      if (map.size() >= KEYS) {
        others++;
        return;
      }
      map.put(key, n = new long[1]);
    }
    n[0]++;
  }

  private static String label(AccessRecord r) {
    String name = r.name() == null ? r.client() : r.name() + " (" + r.client() + ")";
    return r.user() == null ? name : r.user() + " on " + name;
  }

  private static List<Count> top(Map<String, long[]> map, int n, Map<String, String> labels) {
    return map.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey))
        .limit(n).map(e -> new Count(e.getKey(), labels.getOrDefault(e.getKey(), e.getKey()), e.getValue()[0])).toList();
  }
}
