package org.schoolgate.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.schoolgate.log.AccessRecord;

/** The overview's day at a glance (issue 24.11): visits not connections, background apart, bounded, a new day. */
class TodayTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final LocalDate MONDAY = LocalDate.parse("2026-12-07");

  private static AccessRecord line(String ts, String client, String host, String decision, String category) {
    return new AccessRecord(Instant.parse(ts), LONDON, client, "pupils", "proxy", "GET", host, 80, "/", decision, category,
        category == null ? null : category + ":" + host, decision.equals("block") ? 403 : 200, 0, 0, 1, null, null, null,
        null, null, "Y5 iPad 12");
  }

  @Test
  void oneVisitPerDeviceSiteAndMinuteAndBackgroundTrafficApart() {
    Today today = new Today(LONDON);
    for (int i = 0; i < 21; i++) { // one page view: 21 connections
      today.access(line("2026-12-07T11:00:0" + (i % 10) + "Z", "10.10.0.5", "www.facebook.com", "block", "social"));
    }
    today.access(line("2026-12-07T11:01:00Z", "10.10.0.5", "www.facebook.com", "block", "social")); // the next minute
    today.access(line("2026-12-07T11:00:00Z", "10.10.0.6", "www.facebook.com", "block", "social"));
    today.access(line("2026-12-07T11:00:00Z", "10.10.0.6", "www.bbc.co.uk", "allow", null));
    today.access(line("2026-12-07T11:00:00Z", "10.10.0.6", "update.googleapis.com", "block", "reported"));
    Today.Glance g = today.glance(MONDAY, 10);
    assertEquals(4, g.visits());
    assertEquals(3, g.blocked());
    assertEquals(1, g.background());
    assertEquals(List.of(new Today.Count("www.facebook.com", "www.facebook.com", 3)), g.sites());
    assertEquals(List.of(new Today.Count("10.10.0.5", "Y5 iPad 12 (10.10.0.5)", 2),
        new Today.Count("10.10.0.6", "Y5 iPad 12 (10.10.0.6)", 2)), g.devices(), "busiest first, then by address");
    List<Today.Line> lines = today.blocks(MONDAY, null, 0, 50);
    assertEquals(3, lines.size());
    assertEquals("10.10.0.6", lines.get(0).client(), "newest first");
    assertEquals(List.of(lines.get(2)), today.blocks(MONDAY, null, lines.get(1).seq(), 50), "older than a line");
    assertEquals(2, today.blocks(MONDAY, "10.10.0.5", 0, 50).size());
    assertEquals(3, today.blocks(MONDAY, "IPAD", 0, 50).size(), "by the device's name, any case");
    assertTrue(today.blocks(MONDAY, "bbc", 0, 50).isEmpty(), "only blocks are listed");
  }

  @Test
  void aNewDayStartsAgainAndYesterdayIsNotShownToday() {
    Today today = new Today(LONDON);
    today.access(line("2026-12-07T11:00:00Z", "10.10.0.5", "www.facebook.com", "block", "social"));
    assertEquals(0, today.glance(MONDAY.plusDays(1), 10).visits(), "nothing seen on Tuesday yet");
    assertTrue(today.blocks(MONDAY.plusDays(1), null, 0, 50).isEmpty());
    today.access(line("2026-12-08T08:00:00Z", "10.10.0.5", "discord.com", "block", "chat"));
    Today.Glance g = today.glance(MONDAY.plusDays(1), 10);
    assertEquals(1, g.visits());
    assertEquals("discord.com", g.sites().get(0).key());
  }

  @Test
  void theLinesAndKeysAreBounded() {
    Today today = new Today(LONDON);
    for (int i = 0; i < Today.LINES + 10; i++) {
      today.access(line("2026-12-07T11:00:00Z", "10.10.0.5", "site" + i + ".test", "block", "social"));
    }
    assertEquals(Today.LINES, today.blocks(MONDAY, null, 0, Integer.MAX_VALUE).size());
    assertFalse(today.blocks(MONDAY, "site0.test", 0, 10).stream().anyMatch(l -> l.host().equals("site0.test")),
        "the oldest lines go first");
  }

  @Test
  void theShippedBackgroundListCoversSubdomains() {
    assertTrue(Background.is("update.googleapis.com"));
    assertTrue(Background.is("au.download.windowsupdate.com"));
    assertTrue(Background.is("CAPTIVE.APPLE.COM"));
    assertFalse(Background.is("apple.com"));
    assertFalse(Background.is("www.facebook.com"));
  }
}
