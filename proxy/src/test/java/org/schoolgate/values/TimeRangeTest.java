package org.schoolgate.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeRangeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "10:30-10:45,   10:30, 10:45",
      "08:45-15:15,   08:45, 15:15",
      "00:00-23:59,   00:00, 23:59",
      "' 12:00-13:00 ', 12:00, 13:00",
  })
  void parsesHhMmRanges(String text, LocalTime start, LocalTime end) {
    TimeRange r = TimeRange.parse(text);
    assertEquals(start, r.start());
    assertEquals(end, r.end());
    assertEquals(text.trim(), r.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10:30", "9:00-10:00", "10:30-9:45", "24:00-24:30", "10:60-11:00", "10:30-10:45:00",
      "10.30-10.45", "1030-1045", "10:30 to 10:45", "ab:cd-ef:gh"})
  void rejectsMalformedRanges(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeRange.parse(text));
    assertEquals('"' + text + "\" is not a time range (write it like \"10:30-10:45\")", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"10:45-10:30", "10:30-10:30", "23:59-00:00"})
  void rejectsRangesThatEndBeforeTheyStart(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeRange.parse(text));
    assertEquals('"' + text + "\" ends before it starts", e.getMessage());
  }

  @Test
  void constructorRejectsAnEmptyOrBackwardsRange() {
    assertThrows(IllegalArgumentException.class, () -> new TimeRange(LocalTime.of(10, 45), LocalTime.of(10, 30)));
    assertThrows(IllegalArgumentException.class, () -> new TimeRange(LocalTime.NOON, LocalTime.NOON));
  }

  @ParameterizedTest(name = "10:30-10:45 contains {0}: {1}")
  @CsvSource({
      "10:29:59.999999999, false",
      "10:30,              true",
      "10:44:59.999999999, true",
      "10:45,              false",
  })
  void startIsInclusiveAndEndExclusive(LocalTime t, boolean expected) {
    assertEquals(expected, TimeRange.parse("10:30-10:45").contains(t));
  }

  @ParameterizedTest(name = "{0} overlaps {1}: {2}")
  @CsvSource({
      "10:30-10:45, 10:40-10:50, true",
      "10:30-10:45, 10:00-11:00, true",
      "10:30-10:45, 10:30-10:45, true",
      "10:30-10:45, 10:45-11:00, false",   // touching is not overlapping
      "10:30-10:45, 10:00-10:30, false",
      "10:30-10:45, 12:00-13:00, false",
  })
  void overlapsIsSymmetricAndTouchingRangesDoNotOverlap(String a, String b, boolean expected) {
    assertEquals(expected, TimeRange.parse(a).overlaps(TimeRange.parse(b)));
    assertEquals(expected, TimeRange.parse(b).overlaps(TimeRange.parse(a)));
  }

  @Test
  void overlapsIsFalseForDisjointRanges() {
    assertFalse(TimeRange.parse("08:00-09:00").overlaps(TimeRange.parse("09:01-10:00")));
    assertTrue(TimeRange.parse("08:00-09:02").overlaps(TimeRange.parse("09:01-10:00")));
  }
}
