package org.schoolgate.values;

import java.time.LocalTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A stretch of a day, {@code "10:30-10:45"}: start inclusive, end exclusive. */
public record TimeRange(LocalTime start, LocalTime end) {
  private static final Pattern FORM = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-3]):([0-5]\\d)");

  public TimeRange {
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("starts at " + start + " but ends at " + end);
    }
  }

  public static TimeRange parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException('"' + text + "\" is not a time range (write it like \"10:30-10:45\")");
    }
    LocalTime start = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    LocalTime end = LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException('"' + text + "\" ends before it starts");
    }
    return new TimeRange(start, end);
  }

  public boolean contains(LocalTime t) {
    return !t.isBefore(start) && t.isBefore(end);
  }

  public boolean overlaps(TimeRange other) {
    return start.isBefore(other.end) && other.start.isBefore(end);
  }

  @Override
  public String toString() {
    return start + "-" + end;
  }
}
