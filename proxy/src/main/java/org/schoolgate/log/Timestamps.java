package org.schoolgate.log;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * {@code 2026-11-23T11:00:00.123+00:00}: ISO-8601 with milliseconds and the school's offset,
 * written by hand. DateTimeFormatter formats fractions through BigDecimal, which showed up in
 * the allocation profile of every access line.
 */
public final class Timestamps {
  private Timestamps() {}

  public static String format(Instant instant, ZoneId zone) {
    ZoneOffset offset = zone.getRules().getOffset(instant);
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), offset);
    char[] c = new char[29];
    int year = t.getYear();
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, t.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, t.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, t.getHour(), 2);
    c[13] = ':';
    digits(c, 14, t.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, t.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, t.getNano() / 1_000_000, 3);
    int seconds = offset.getTotalSeconds();
    c[23] = seconds < 0 ? '-' : '+';
    seconds = Math.abs(seconds);
    digits(c, 24, seconds / 3600, 2);
    c[26] = ':';
    digits(c, 27, (seconds / 60) % 60, 2);
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
