package org.schoolgate.values;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * The school week: which days are school days, the school day, and its breaks, in the school's
 * time zone. Lesson time is a school day, inside the school day, outside every break.
 */
public record Timetable(ZoneId zone, Set<DayOfWeek> days, TimeRange schoolDay, List<TimeRange> breaks) {

  public enum Period {
    LESSON("lesson"), BREAK("break"), OUTSIDE("outside school hours");

    private final String label;

    Period(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * The period at an instant and the instant it next changes: the answer holds for every
   * instant in [since, until), so callers can reuse it.
   */
  public record State(Period period, Instant since, Instant until) {}

  public Timetable {
    days = Set.copyOf(days);
    breaks = List.copyOf(breaks);
  }

  public State stateAt(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    LocalDate date = local.toLocalDate();
    LocalTime time = local.toLocalTime();
    if (!days.contains(date.getDayOfWeek()) || time.isBefore(schoolDay.start()) || !time.isBefore(schoolDay.end())) {
      return new State(Period.OUTSIDE, now, nextSchoolDayStart(local));
    }
    LocalTime next = schoolDay.end();
    for (TimeRange b : breaks) {
      if (b.contains(time)) {
        return new State(Period.BREAK, now, at(date, b.end()));
      }
      if (b.start().isAfter(time) && b.start().isBefore(next)) {
        next = b.start();
      }
    }
    return new State(Period.LESSON, now, at(date, next));
  }

  private Instant nextSchoolDayStart(ZonedDateTime local) {
    LocalDate date = local.toLocalDate();
    if (!local.toLocalTime().isBefore(schoolDay.start())) {
      date = date.plusDays(1);
    }
    for (int i = 0; i < 8; i++, date = date.plusDays(1)) {
      if (days.contains(date.getDayOfWeek())) {
        return at(date, schoolDay.start());
      }
    }
    return Instant.MAX; // no school days at all: never lesson time
  }

  private Instant at(LocalDate date, LocalTime time) {
    return ZonedDateTime.of(date, time, zone).toInstant();
  }
}
