package org.schoolgate.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.values.Timetable.Period;
import org.schoolgate.values.Timetable.State;

/** The timetable of SPEC section 3: MON-FRI, 08:45-15:15, breaks 10:30-10:45 and 12:00-13:00, Europe/London. */
class TimetableTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private static final Timetable TIMETABLE = new Timetable(LONDON,
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
      TimeRange.parse("08:45-15:15"),
      List.of(TimeRange.parse("10:30-10:45"), TimeRange.parse("12:00-13:00")));

  private static Instant london(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(LONDON).toInstant();
  }

  private static State at(String localDateTime) {
    return TIMETABLE.stateAt(london(localDateTime));
  }

  // 2026-01-12 is a Monday; in January London is on GMT.
  @ParameterizedTest(name = "{0} is {1} until {2}")
  @CsvSource({
      "2026-01-12T08:44:59,           OUTSIDE, 2026-01-12T08:45",
      "2026-01-12T08:45,              LESSON,  2026-01-12T10:30",
      "2026-01-12T09:00,              LESSON,  2026-01-12T10:30",
      "2026-01-12T10:29:59,           LESSON,  2026-01-12T10:30",
      "2026-01-12T10:29:59.999999999, LESSON,  2026-01-12T10:30",
      "2026-01-12T10:30,              BREAK,   2026-01-12T10:45",
      "2026-01-12T10:44:59,           BREAK,   2026-01-12T10:45",
      "2026-01-12T10:45,              LESSON,  2026-01-12T12:00",
      "2026-01-12T11:59:59,           LESSON,  2026-01-12T12:00",
      "2026-01-12T12:00,              BREAK,   2026-01-12T13:00",
      "2026-01-12T12:59:59,           BREAK,   2026-01-12T13:00",
      "2026-01-12T13:00,              LESSON,  2026-01-12T15:15",  // last lesson runs to the end of the day
      "2026-01-12T15:14:59,           LESSON,  2026-01-12T15:15",
      "2026-01-12T15:15,              OUTSIDE, 2026-01-13T08:45",
      "2026-01-12T23:59:59,           OUTSIDE, 2026-01-13T08:45",
      "2026-01-13T00:00,              OUTSIDE, 2026-01-13T08:45",
      "2026-01-13T06:00,              OUTSIDE, 2026-01-13T08:45",
      "2026-01-16T15:15,              OUTSIDE, 2026-01-19T08:45",  // Friday evening -> Monday morning
      "2026-01-16T18:00,              OUTSIDE, 2026-01-19T08:45",
      "2026-01-17T10:00,              OUTSIDE, 2026-01-19T08:45",  // Saturday, in what would be lesson time
      "2026-01-17T10:35,              OUTSIDE, 2026-01-19T08:45",  // Saturday, in what would be a break
      "2026-01-18T08:00,              OUTSIDE, 2026-01-19T08:45",  // Sunday before the school-day start
      "2026-01-18T23:59,              OUTSIDE, 2026-01-19T08:45",
  })
  void periodAndWhenItNextChanges(String local, Period period, String untilLocal) {
    State s = at(local);
    assertEquals(period, s.period());
    assertEquals(london(untilLocal), s.until());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "2026-01-12T08:00", "2026-01-12T09:00", "2026-01-12T10:40", "2026-01-12T14:00",
      "2026-01-16T20:00", "2026-01-17T12:00", "2026-03-27T16:00", "2026-10-23T15:30"
  })
  void theStateHoldsUntilItsUntilAndChangesThere(String local) {
    Instant now = london(local);
    State s = TIMETABLE.stateAt(now);
    assertEquals(s.period(), TIMETABLE.stateAt(s.until().minusNanos(1)).period());
    State next = TIMETABLE.stateAt(s.until());
    assertNotEquals(s.period(), next.period(), () -> "still " + s.period() + " at " + s.until());
  }

  @Test
  void aSchoolWithNoSchoolDaysIsAlwaysOutside() {
    Timetable none = new Timetable(LONDON, EnumSet.noneOf(DayOfWeek.class), TimeRange.parse("08:45-15:15"), List.of());
    State s = none.stateAt(london("2026-01-12T09:00"));
    assertEquals(Period.OUTSIDE, s.period());
    assertEquals(Instant.MAX, s.until());
  }

  // ---- daylight saving time in Europe/London ------------------------------------------------
  // Clocks go forward on Sunday 2026-03-29 (GMT -> BST) and back on Sunday 2026-10-25 (BST -> GMT).

  @ParameterizedTest(name = "{0} is LESSON until {1}")
  @CsvSource({
      "2026-03-30T08:00:00Z, 2026-03-30T09:30:00Z",  // Monday after spring forward: 09:00 BST, lesson until 10:30 BST
      "2026-03-30T09:45:00Z, 2026-03-30T11:00:00Z",  // 10:45 BST -> 12:00 BST
      "2026-10-26T09:00:00Z, 2026-10-26T10:30:00Z",  // Monday after fall back: 09:00 GMT, lesson until 10:30 GMT
      "2026-11-02T09:00:00Z, 2026-11-02T10:30:00Z",
      "2026-10-23T08:00:00Z, 2026-10-23T09:30:00Z",  // Friday before fall back, still BST
  })
  void lessonsFollowLocalTimeAcrossDaylightSaving(Instant now, Instant until) {
    State s = TIMETABLE.stateAt(now);
    assertEquals(Period.LESSON, s.period());
    assertEquals(until, s.until());
  }

  @Test
  void nineOClockLocalIsLessonOnTheMondaysAfterBothClockChanges() {
    assertEquals(Period.LESSON, at("2026-03-30T09:00").period());
    assertEquals(Period.LESSON, at("2026-10-26T09:00").period());
    assertEquals(Period.LESSON, at("2026-11-02T09:00").period());
    // and 08:30 local is before school on both, although it is 07:30Z in BST
    assertEquals(Period.OUTSIDE, at("2026-03-30T08:30").period());
    assertEquals(Period.OUTSIDE, at("2026-10-26T08:30").period());
  }

  @Test
  void breakInBritishSummerTimeEndsAtTheUtcInstantOfTheLocalEnd() {
    State s = TIMETABLE.stateAt(Instant.parse("2026-03-30T11:00:00Z")); // 12:00 BST
    assertEquals(Period.BREAK, s.period());
    assertEquals(Instant.parse("2026-03-30T12:00:00Z"), s.until()); // 13:00 BST
  }

  @Test
  void fridayAfternoonBeforeTheAutumnChangeIsOutsideUntilMondayInGmt() {
    State s = at("2026-10-23T15:30"); // 14:30Z, BST
    assertEquals(Period.OUTSIDE, s.period());
    assertEquals(Instant.parse("2026-10-26T08:45:00Z"), s.until());
  }

  @Test
  void fridayAfternoonBeforeTheSpringChangeIsOutsideUntilMondayInBst() {
    State s = at("2026-03-27T15:30"); // 15:30Z, GMT
    assertEquals(Period.OUTSIDE, s.period());
    assertEquals(Instant.parse("2026-03-30T07:45:00Z"), s.until());
  }

  @Test
  void theChangeSundaysThemselvesAreOutside() {
    assertEquals(Period.OUTSIDE, TIMETABLE.stateAt(Instant.parse("2026-03-29T01:30:00Z")).period());
    assertEquals(Period.OUTSIDE, TIMETABLE.stateAt(Instant.parse("2026-10-25T01:30:00Z")).period());
  }
}
