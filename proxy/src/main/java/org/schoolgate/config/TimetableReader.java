package org.schoolgate.config;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.schoolgate.values.TimeRange;
import org.schoolgate.values.Timetable;

/** The {@code timetable} section: school days, the school day, and breaks inside it that do not overlap. */
final class TimetableReader {
  private TimetableReader() {}

  static Timetable read(Node n, ZoneId zone) {
    if (!n.checkKeys(Set.of("days", "school_day", "breaks"))) {
      n.problem("is required (days, school_day, breaks)");
      return null;
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (Node item : n.get("days").items()) {
      DayOfWeek d = item.as(ConfigValues::day, true);
      if (d != null && !days.add(d)) {
        item.problem(d + " is listed twice");
      }
    }
    Node dayNode = n.get("school_day");
    TimeRange schoolDay = dayNode.as(TimeRange::parse, true);
    List<TimeRange> breaks = new ArrayList<>();
    for (Node item : n.get("breaks").items()) {
      TimeRange b = item.as(TimeRange::parse, true);
      if (b == null) {
        continue;
      }
      if (schoolDay != null && (b.start().isBefore(schoolDay.start()) || b.end().isAfter(schoolDay.end()))) {
        item.problem("break " + b + " is not inside the school day " + schoolDay);
      }
      for (TimeRange other : breaks) {
        if (other.overlaps(b)) {
          item.problem("break " + b + " overlaps break " + other);
        }
      }
      breaks.add(b);
    }
    if (zone == null || schoolDay == null) {
      return null;
    }
    breaks.sort((a, b) -> a.start().compareTo(b.start()));
    return new Timetable(zone, days, schoolDay, breaks);
  }
}
