package org.schoolgate.console;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Charts drawn on the server as SVG: no charting library, no script, nothing fetched. The SVG
 * scales to its box (a phone's width included); each bar carries a {@code <title>} that screen
 * readers and a hover read, and the page prints the same figures as a table.
 */
public final class Charts {
  /** Colours for the kinds, each at least 3:1 against white (WCAG 2.1 non-text contrast). */
  private static final String[] COLOURS = {"#1f5fa8", "#b34700", "#1b7a4e", "#8e3b8e", "#6b5b00", "#3d3d3d", "#a3213b"};
  private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("d MMM", Locale.UK);

  private Charts() {}

  /** The colour {@link #perDay} uses for the kind at {@code index}, for the legend. */
  public static String colour(int index) {
    return COLOURS[index % COLOURS.length];
  }

  /**
   * Stacked bars, one per day from {@code first} for {@code days} days, one segment per kind.
   *
   * @param counts day, then kind, to a count (days or kinds not there are 0)
   * @param kinds  the kinds in legend order
   */
  public static String perDay(LocalDate first, int days, List<String> kinds, Map<LocalDate, Map<String, Long>> counts,
                              String title) {
    List<String> labels = new java.util.ArrayList<>(days);
    List<Map<String, Long>> slots = new java.util.ArrayList<>(days);
    for (int d = 0; d < days; d++) {
      LocalDate day = first.plusDays(d);
      labels.add(LABEL.format(day));
      slots.add(counts.getOrDefault(day, Map.of()));
    }
    return stacked(labels, slots, kinds, title, "chart-title", 5);
  }

  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.UK);

  /**
   * Stacked bars, one per month from {@code first} for {@code months} months, one segment per kind
   * (the annual review); every month is labelled when there are at most 12.
   */
  public static String perMonth(java.time.YearMonth first, int months, List<String> kinds,
                                Map<java.time.YearMonth, Map<String, Long>> counts, String title, String id) {
    List<String> labels = new java.util.ArrayList<>(months);
    List<Map<String, Long>> slots = new java.util.ArrayList<>(months);
    for (int m = 0; m < months; m++) {
      java.time.YearMonth month = first.plusMonths(m);
      labels.add(MONTH.format(month));
      slots.add(counts.getOrDefault(month, Map.of()));
    }
    return stacked(labels, slots, kinds, title, id, months <= 12 ? 1 : 3);
  }

  /** The bars of {@link #perDay} and {@link #perMonth}: a label under every {@code labelEvery}-th slot and the last. */
  private static String stacked(List<String> labels, List<Map<String, Long>> slots, List<String> kinds, String title,
                                String id, int labelEvery) {
    final int width = 720;
    final int height = 240;
    final int left = 36;
    final int bottom = 28;
    final int top = 10;
    final int n = labels.size();
    long max = 1;
    for (Map<String, Long> slotCounts : slots) {
      max = Math.max(max, slotCounts.values().stream().mapToLong(Long::longValue).sum());
    }
    long step = niceStep(max);
    long axisMax = ((max + step - 1) / step) * step;
    double plotHeight = height - top - bottom;
    double slot = (double) (width - left - 4) / n;
    StringBuilder b = new StringBuilder(8192);
    b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-labelledby=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\">")
        .append("<title id=\"").append(id).append("\">").append(escape(title)).append("</title>");
    for (long v = 0; v <= axisMax; v += step) {
      double y = top + plotHeight - plotHeight * v / axisMax;
      b.append("<line x1=\"").append(left).append("\" x2=\"").append(width - 4).append("\" y1=\"").append(fmt(y))
          .append("\" y2=\"").append(fmt(y)).append("\" stroke=\"#c9d2dc\" stroke-width=\"1\"/>")
          .append("<text x=\"").append(left - 6).append("\" y=\"").append(fmt(y + 4))
          .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#34414f\">").append(v).append("</text>");
    }
    for (int d = 0; d < n; d++) {
      Map<String, Long> perKind = slots.get(d);
      double x = left + d * slot + slot * 0.15;
      double w = slot * 0.7;
      double y = top + plotHeight;
      for (int k = 0; k < kinds.size(); k++) {
        long count = perKind.getOrDefault(kinds.get(k), 0L);
        if (count == 0) {
          continue;
        }
        double h = plotHeight * count / axisMax;
        y -= h;
        b.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(w))
            .append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(colour(k)).append("\"><title>")
            .append(escape(labels.get(d))).append(": ").append(count).append(' ').append(escape(kinds.get(k)))
            .append("</title></rect>");
      }
      if (d % labelEvery == 0 || d == n - 1) {
        String anchor = n == 1 ? "middle" : d == n - 1 ? "end" : d == 0 ? "start" : "middle";
        double at = n == 1 ? x + w / 2 : d == n - 1 ? x + w : d == 0 ? x : x + w / 2;
        b.append("<text x=\"").append(fmt(at)).append("\" y=\"").append(height - 10)
            .append("\" text-anchor=\"").append(anchor).append("\" font-size=\"11\" fill=\"#34414f\">")
            .append(escape(labels.get(d))).append("</text>");
      }
    }
    return b.append("</svg>").toString();
  }

  private static long niceStep(long max) {
    long step = 1;
    while (max / step > 5) {
      step = nextNice(step);
    }
    return step;
  }

  /** 1, 2, 5, 10, 20, 50, ... */
  private static long nextNice(long step) {
    long magnitude = 1;
    while (magnitude * 10 <= step) {
      magnitude *= 10;
    }
    long digit = step / magnitude;
    return digit == 1 ? 2 * magnitude : digit == 2 ? 5 * magnitude : 10 * magnitude;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
