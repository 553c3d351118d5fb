package org.schoolgate.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.config.Config;
import org.schoolgate.net.HostsFile;
import org.schoolgate.net.Resolver;
import org.schoolgate.net.Transport;
import org.schoolgate.testing.ListPublisher;
import org.schoolgate.testing.ListPublisher.Answer;
import org.schoolgate.testing.FakeClock;
import org.schoolgate.values.TimeRange;

/**
 * Subscriptions against a real publisher on loopback, its name mapped by a hosts file and resolved
 * by the proxy's resolver; time is a clock the test moves and the test drives every look
 * ({@link Subscriptions#tick}), so nothing here waits for time to pass.
 */
class SubscriptionsTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final long MAX = 64 * 1024;

  @TempDir
  Path dir;
  private ListPublisher publisher;
  private EventLoopGroup loops;
  private ProxyDns dns;
  private final FakeClock clock = new FakeClock(Instant.parse("2026-01-10T12:00:00Z"));
  private final List<String> audits = new ArrayList<>();
  private final List<String> alerts = new ArrayList<>();
  private int swaps;

  @BeforeEach
  void start() throws IOException {
    publisher = new ListPublisher();
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 lists.publisher.test\n");
    Transport t = Transport.best();
    loops = t.newGroup(1, "test-dns");
    dns = new ProxyDns(Duration.ofSeconds(5));
    dns.use(new Resolver(HostsFile.load(hosts), t, Duration.ofSeconds(1), List.of(), Duration.ofMinutes(1)), loops);
  }

  @AfterEach
  void stop() {
    publisher.close();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private URI url(String path) {
    return URI.create("http://lists.publisher.test:" + publisher.port() + path);
  }

  private Config.Subscription ut1() {
    return new Config.Subscription("ut1", url("/blacklists.tar.gz"), "ut1",
        Map.of("adult", "adult", "gambling", "gambling", "vpn", "circumvention"), Set.of("sexual_education"), null,
        "CC BY-SA 4.0", true);
  }

  private Config.Subscription plain(String name, String format) {
    return new Config.Subscription(name, url("/" + name + ".txt"), format, Map.of(), Set.of(), "gambling", "Unlicense", true);
  }

  private Subscriptions subscriptions(int keep, Config.Subscription... subs) {
    Config.Lists lists = new Config.Lists(TimeRange.parse("01:00-05:00"), keep, MAX, Duration.ofSeconds(2),
        Duration.ofMillis(400), List.of(subs));
    Subscriptions s = new Subscriptions(lists, dir.resolve("data"), LONDON, clock, new Random(7),
        new Fetcher(dns, lists.connectTimeout(), lists.readTimeout(), lists.maxSize()));
    s.hooks(new Subscriptions.Hooks() {
      @Override
      public boolean swap() {
        swaps++;
        return true;
      }

      @Override
      public void swapped(String subscription, String reason) {
        audits.add(subscription + ": " + reason);
      }

      @Override
      public void stale(String subscription, String sentence) {
        alerts.add(sentence);
      }
    });
    return s;
  }

  private static byte[] archive(int gambling) throws IOException {
    List<String> g = new ArrayList<>();
    for (int i = 0; i < gambling; i++) {
      g.add("casino" + i + ".test");
    }
    return ListPublisher.ut1(Map.of(
        "adult", List.of("adult-one.test", "adult-two.test", "sexed.test", "www.sexed.test", "10.1.2.3", "not a domain"),
        "gambling", g,
        "vpn", List.of("vpn-provider.test"),
        "sexual_education", List.of("sexed.test"),
        "bank", List.of("debian.org", "bank.test")), Map.of());
  }

  private static List<String> domains(Subscriptions s, String category) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : s.inForce().getOrDefault(category, List.of())) {
      out.addAll(Files.readAllLines(p));
    }
    return out;
  }

  private static ListStatus status(Subscriptions s, String name) {
    return s.statuses().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aNewSubscriptionIsFetchedAtOnceThenConditionallyOnceADayInTheWindow() throws IOException {
    publisher.serve("/blacklists.tar.gz", Answer.list(archive(10), "\"v1\""));
    Subscriptions s = subscriptions(3, ut1());
    s.tick();
    assertEquals(1, publisher.seen().size(), "fetched at once, whatever the window");
    assertNull(publisher.seen().get(0).ifNoneMatch());
    assertEquals(List.of("casino0.test", "casino1.test"), domains(s, "gambling").subList(0, 2));
    assertEquals(List.of("vpn-provider.test"), domains(s, "circumvention"));
    assertFalse(domains(s, "gambling").contains("debian.org"), "an unmapped source category is ignored");
    assertEquals(Map.of("adult", 3, "gambling", 10, "circumvention", 1), status(s, "ut1").entries());
    assertEquals(1, swaps);
    assertEquals(List.of("ut1: entries before {}, after {adult=3, circumvention=1, gambling=10}"), audits);

    Instant next = status(s, "ut1").nextAttempt();
    var local = next.atZone(LONDON);
    assertEquals(java.time.LocalDate.of(2026, 1, 11), local.toLocalDate());
    assertTrue(TimeRange.parse("01:00-05:00").contains(local.toLocalTime()), "next try inside the window: " + local);
    s.tick();
    assertEquals(1, publisher.seen().size(), "not fetched again before the window");

    clock.advance(Duration.between(clock.instant(), next));
    s.tick();
    assertEquals(2, publisher.seen().size());
    assertEquals("\"v1\"", publisher.seen().get(1).ifNoneMatch(), "conditional: If-None-Match with the last ETag");
    ListStatus after = status(s, "ut1");
    assertEquals(next, after.lastSuccess(), "a 304 is a success");
    assertNull(after.lastError());
    assertEquals(1, swaps, "a 304 swaps nothing");
    assertTrue(after.nextAttempt().isAfter(next.plus(Duration.ofHours(20))), "the next day: " + after.nextAttempt());
  }

  @Test
  void aBadDownloadIsRefusedWithASentenceAndTheLastGoodCopyStays() throws IOException {
    publisher.serve("/blacklists.tar.gz", Answer.list(archive(10), "\"v1\""));
    Subscriptions s = subscriptions(3, ut1());
    s.tick();
    List<String> before = domains(s, "gambling");
    assertEquals(10, before.size());

    refused(s, Answer.status(500), "status", "answered 500");
    refused(s, Answer.text("<html><body>Maintenance</body></html>").typed("text/html; charset=utf-8"), "html", "web page");
    refused(s, Answer.text("  \n<!doctype html><p>login</p>"), "html", "begins with \"<\"");
    refused(s, Answer.list(new byte[(int) MAX + 1], null), "too-large", "more than lists.max_size");
    refused(s, Answer.list(new byte[(int) MAX * 3], null).chunkedBody(), "too-large", "reading stopped there");
    refused(s, Answer.text("just some text\nnot a list\n"), "format", "not a tar.gz archive");
    refused(s, Answer.list(ListPublisher.ut1(Map.of(), Map.of("x", "y")), null), "format", "no CATEGORY/domains");
    refused(s, Answer.list(ListPublisher.ut1(Map.of("press", List.of("news.test")), Map.of()), null), "format",
        "none of the mapped categories");
    refused(s, Answer.list(archive(4), "\"v2\""), "shrink", "shrink gambling from 10 to 4 domains");
    refused(s, Answer.hanging(), "timeout", "sent nothing");
    publisher.serve("/loop", Answer.redirect("/loop"));
    publisher.serve("/blacklists.tar.gz", Answer.redirect("/loop"));
    assertTrue(s.updateNow("ut1"));
    s.tick();
    assertEquals("redirects", lastReason(s));

    assertEquals(before, domains(s, "gambling"), "every refusal kept the last good copy in force");
    assertEquals(1, swaps);
    assertEquals(1, s.failures().get("ut1").get("shrink").sum());
    assertEquals(2, s.failures().get("ut1").get("html").sum());

    publisher.serve("/blacklists.tar.gz", Answer.redirect("/moved/here.tar.gz"));
    publisher.serve("/moved/here.tar.gz", Answer.list(archive(12), "\"v3\""));
    s.updateNow("ut1");
    s.tick();
    assertNull(status(s, "ut1").lastError(), "a redirect is followed");
    assertEquals(12, domains(s, "gambling").size());
    assertEquals(2, swaps);
  }

  private String lastReason(Subscriptions s) {
    return new CopyStore(dir.resolve("data").resolve("lists"), "ut1").state().lastReason();
  }

  private void refused(Subscriptions s, Answer a, String reason, String sentence) {
    publisher.serve("/blacklists.tar.gz", a);
    assertTrue(s.updateNow("ut1"));
    s.tick();
    ListStatus st = status(s, "ut1");
    assertEquals(reason, lastReason(s), "refused as " + reason + ": " + st.lastError());
    assertTrue(st.lastError().contains(sentence), st.lastError());
    assertTrue(st.hasCopy());
  }

  @Test
  void failuresBackOffFromOneMinuteDoublingToSixHoursWhateverTheWindow() {
    publisher.serve("/gambling-extra.txt", Answer.status(503));
    Subscriptions s = subscriptions(3, plain("gambling-extra", "domains"));
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int before = publisher.seen().size();
      s.tick();
      assertEquals(before + 1, publisher.seen().size(), "due, so fetched");
      Instant next = status(s, "gambling-extra").nextAttempt();
      waits.add(Duration.between(clock.instant(), next).toMinutes());
      clock.advance(Duration.between(clock.instant(), next).minusSeconds(1));
      s.tick();
      assertEquals(before + 1, publisher.seen().size(), "not before the back-off is over");
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 360L, 360L, 360L), waits);
  }

  @Test
  void plainListsAndGarbageLinesCostOneLineEach() throws IOException {
    publisher.serve("/gambling-extra.txt", Answer.text("# a hosts list\n0.0.0.0 bet.test\n0.0.0.0 poker.test\n"
        + "\u00ff\u00fe garbage\n||ads.test^$third-party\n127.0.0.1 localhost\n"));
    publisher.serve("/adblock.txt", Answer.text("! Title: gambling\n||slots.test^\n##.banner\n"));
    publisher.serve("/empty.txt", Answer.text("# nothing but comments\n! and junk\nnot a domain at all\n"));
    Subscriptions s = subscriptions(3, plain("gambling-extra", "hosts"), plain("adblock", "adblock"), plain("empty", "domains"));
    s.tick();
    assertEquals(List.of("bet.test", "poker.test", "slots.test"), domains(s, "gambling"));
    assertEquals(Map.of("gambling", 2), status(s, "gambling-extra").entries());
    assertTrue(status(s, "empty").lastError().contains("the list has no valid line"), status(s, "empty").lastError());
    assertFalse(status(s, "empty").hasCopy());
  }

  @Test
  void allowedSourceCategoriesAreKeptAsExceptionsBesideTheBlocks() throws IOException {
    publisher.serve("/blacklists.tar.gz", Answer.list(archive(3), null));
    Subscriptions s = subscriptions(3, ut1());
    s.tick();
    assertEquals(List.of("adult-one.test", "adult-two.test", "www.sexed.test"), domains(s, "adult"),
        "sexed.test is in sexual_education (allowed), so not a block; www.sexed.test, longer, still is");
    assertEquals(List.of("sexed.test"), domains(s, org.schoolgate.blocklist.Blocklists.EXCEPTIONS));
  }

  @Test
  void aRestartWithThePublisherDownUsesTheNewestGoodCopyWithoutFetching() throws IOException {
    publisher.serve("/blacklists.tar.gz", Answer.list(archive(10), "\"v1\""));
    Subscriptions first = subscriptions(2, ut1());
    first.tick();
    publisher.serve("/blacklists.tar.gz", Answer.list(archive(11), "\"v2\""));
    first.updateNow("ut1");
    clock.advance(Duration.ofSeconds(1));
    first.tick();
    publisher.serve("/blacklists.tar.gz", Answer.list(archive(12), "\"v3\""));
    first.updateNow("ut1");
    clock.advance(Duration.ofSeconds(1));
    first.tick();
    try (var copies = Files.list(dir.resolve("data/lists/ut1"))) {
      assertEquals(2, copies.filter(p -> p.getFileName().toString().startsWith("copy-")).count(), "keep: 2");
    }
    first.close();
    publisher.close();
    int requests = publisher.seen().size();

    Subscriptions second = subscriptions(2, ut1());
    assertEquals(12, domains(second, "gambling").size(), "the newest good copy, from disk");
    second.tick();
    assertEquals(requests, publisher.seen().size(), "no fetch: it has a good copy and the window is tomorrow");
    assertEquals("\"v3\"", status(second, "ut1").etag());
    assertEquals(64, status(second, "ut1").sha256().length());
  }

  @Test
  void aChangedMappingIsFetchedAtOnceWithoutConditionsOrTheShrinkTest() throws IOException {
    publisher.serve("/blacklists.tar.gz", Answer.list(archive(10), "\"v1\""));
    subscriptions(3, ut1()).tick();
    Config.Subscription onlyVpn = new Config.Subscription("ut1", url("/blacklists.tar.gz"), "ut1",
        Map.of("vpn", "circumvention"), Set.of(), null, "CC BY-SA 4.0", true);
    Subscriptions s = subscriptions(3, onlyVpn);
    assertEquals(clock.instant(), status(s, "ut1").nextAttempt(), "a copy of another mapping: at once");
    s.tick();
    assertEquals(2, publisher.seen().size());
    assertNull(publisher.seen().get(1).ifNoneMatch(), "unconditional: a 304 would keep the old mapping's copy");
    assertNull(status(s, "ut1").lastError(), "gambling gone from the map is not a shrunk copy");
    assertEquals(Map.of("circumvention", 1), status(s, "ut1").entries());
    assertEquals(List.of(), domains(s, "gambling"));
  }

  @Test
  void threeDaysWithoutAGoodFetchRaisesOneAlert() throws IOException {
    publisher.serve("/blacklists.tar.gz", Answer.list(archive(10), null));
    Subscriptions s = subscriptions(3, ut1());
    s.tick();
    publisher.serve("/blacklists.tar.gz", Answer.status(500));
    for (int hour = 0; hour < 24 * 4; hour++) {
      clock.advance(Duration.ofHours(1));
      s.tick();
      if (hour < 71) {
        assertEquals(List.of(), alerts, "no alert before 3 days");
      }
    }
    assertEquals(1, alerts.size(), "one alert, not one a tick");
    assertTrue(alerts.get(0).contains("no good download for 3 days (last error: the publisher answered 500"), alerts.get(0));
  }
}
