package org.schoolgate.lists;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import okhttp3.Dns;
import org.junit.jupiter.api.Test;

/** The OkHttp client is built at the first fetch; what it would refuse is still refused at start. */
class FetcherTest {
  private static final Dns NO_DNS = host -> List.of();

  @Test
  void timeoutsOkHttpWouldRefuseAreRefusedWhenTheFetcherIsMade() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Fetcher(NO_DNS, Duration.ofDays(30), Duration.ofSeconds(30), 1024));
    assertTrue(e.getMessage().contains("PT720H"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Fetcher(NO_DNS, Duration.ofSeconds(5), Duration.ofNanos(1), 1024));
    assertThrows(IllegalArgumentException.class, () -> new Fetcher(NO_DNS, Duration.ofSeconds(-1), Duration.ofSeconds(30), 1024));
  }

  @Test
  void ordinaryTimeoutsAreAccepted() {
    assertDoesNotThrow(() -> new Fetcher(NO_DNS, Duration.ofMillis(1), Duration.ofMillis(Integer.MAX_VALUE), 1024));
  }
}
