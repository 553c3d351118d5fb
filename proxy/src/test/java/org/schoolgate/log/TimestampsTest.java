package org.schoolgate.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

  @ParameterizedTest
  @ValueSource(strings = {"Europe/London", "UTC", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"})
  void matchesTheJavaTimeFormatterAcrossOffsetsAndDaylightSaving(String zone) {
    ZoneId z = ZoneId.of(zone);
    SplittableRandom random = new SplittableRandom(42);
    long from = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    long to = Instant.parse("2035-01-01T00:00:00Z").toEpochMilli();
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochMilli(random.nextLong(from, to)).plusNanos(random.nextInt(1_000_000));
      assertEquals(REFERENCE.format(t.atZone(z)), Timestamps.format(t, z), t.toString());
    }
  }
}
