package org.schoolgate.values;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The one range check for every date and time a person gives the API, the console, {@code /review}
 * and the {@code review} command (issue 21.11): from {@value #FIRST_YEAR} to {@value #LAST_YEAR}.
 * {@code java.time} parses years up to ±999,999,999, which then overflow when turned into the
 * school's time zone or a timestamp (a 500, a stack trace); a date outside this range is refused
 * with {@link #sentence} instead.
 */
public final class DateBounds {
  public static final int FIRST_YEAR = 1970;
  public static final int LAST_YEAR = 2199;

  private DateBounds() {}

  public static boolean within(LocalDate date) {
    return date.getYear() >= FIRST_YEAR && date.getYear() <= LAST_YEAR;
  }

  public static boolean within(Instant instant) {
    return within(LocalDate.ofInstant(instant, java.time.ZoneOffset.UTC));
  }

  /** What to tell a person whose {@code field} is outside the range. */
  public static String sentence(String field) {
    return "\"" + field + "\" must be a date from " + FIRST_YEAR + " to " + LAST_YEAR;
  }

  /**
   * ISO-8601 with an offset, or a local date-time in {@code zone}; null when {@code text} is neither
   * or falls outside the range.
   */
  public static Instant instant(String text, ZoneId zone) {
    Instant at;
    try {
      at = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime local = LocalDateTime.parse(text);
        if (!within(local.toLocalDate())) {
          return null;
        }
        at = local.atZone(zone).toInstant();
      } catch (DateTimeException e2) {
        return null;
      }
    }
    return within(at) ? at : null;
  }

  /** {@code YYYY-MM-DD} within the range, or null. */
  public static LocalDate date(String text) {
    try {
      LocalDate d = LocalDate.parse(text);
      return within(d) ? d : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
