package org.schoolgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
      "500ms, 500",
      "0ms,   0",
      "30s,   30000",
      "10m,   600000",
      "2h,    7200000",
      "7d,    604800000",
      "' 5s ', 5000",
  })
  void parsesTheWrittenForms(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "s", "1.5h", "-5s", "10 m", "10M", "2hours", "1h30m", "5 seconds", "ms500", "+3s"})
  void rejectsOtherFormsWithAnExample(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals('"' + text + "\" is not a duration (write it like 500ms, 30s, 10m or 2h)", e.getMessage());
  }

  @ParameterizedTest(name = "{0} ms formats as {1}")
  @CsvSource({
      "500,       500ms",
      "1500,      1500ms",
      "30000,     30s",
      "600000,    10m",
      "7200000,   2h",
      "86400000,  1d",
      "0,         0s",
  })
  void formatsInTheLargestWholeUnitAndParsesBack(long millis, String text) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }
}
