package org.schoolgate.blocklist;

import org.schoolgate.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.policy.Access;
import org.schoolgate.policy.AdminRules;
import org.schoolgate.policy.Policy;
import org.schoolgate.policy.PolicyEngine;
import org.slf4j.LoggerFactory;

/** SPEC section 5: "Lists are reloaded when their files change ...; a reload that fails keeps the previous lists." */
class BlocklistWatcherTest {
  private static final String YAML = """
      timezone: Europe/London
      listen:
        proxy: 127.0.0.1:3128
      networks:
        pupils: [10.10.0.0/16]
      default_group: pupils
      timetable:
        days: [MON, TUE, WED, THU, FRI]
        school_day: "08:45-15:15"
        breaks: ["10:30-10:45"]
      groups:
        pupils:
          block: [social, circumvention]
      blocklists: blocklists/
      data_dir: data/
      log_dir: logs/
      log_retention_days: 90
      """;
  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final InetAddress PUPIL = InetAddress.getLoopbackAddress(); // in no network: default group pupils

  @TempDir
  Path dir;

  Path folder;
  PolicyEngine engine;
  final LogCapture log = new LogCapture();

  @BeforeEach
  void start() throws Exception {
    folder = dir.resolve("blocklists");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("social.txt"), "facebook.com\n");
    Files.writeString(folder.resolve("circumvention.txt"), "proxysite.com\n");
    Files.writeString(dir.resolve("schoolgate.yaml"), YAML);
    Config config = ConfigLoader.load(dir.resolve("schoolgate.yaml"));
    Blocklists.Loaded loaded = Blocklists.load(config.blocklists(), config.referencedCategories());
    Clock lessonTime = Clock.fixed(Instant.parse("2026-01-12T09:00:00Z"), ZoneOffset.UTC);
    engine = new PolicyEngine(new Policy(config.policy(), loaded.lists(), AdminRules.EMPTY), lessonTime);
    log.attach();
  }

  @AfterEach
  void stopCapture() {
    log.detach();
  }

  private boolean blocked(String host) {
    return !engine.decide(PUPIL, host, 443, Access.CONNECT).allowed();
  }

  /** Replaces a list file in one step, its modification time a minute later than before. */
  private void replace(String name, String text) throws IOException {
    Path file = folder.resolve(name);
    FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
    Path temp = dir.resolve(name + ".new");
    Files.writeString(temp, text);
    Files.setLastModifiedTime(temp, FileTime.from(before.toInstant().plusSeconds(60)));
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aChangedListIsReloadedAndApplied() throws Exception {
    try (BlocklistWatcher watcher = new BlocklistWatcher(folder, engine, INTERVAL)) {
      assertTrue(blocked("facebook.com"));
      assertFalse(blocked("tiktok.com"));

      replace("social.txt", "tiktok.com\n");

      Await.until("tiktok.com blocked after the reload", () -> blocked("tiktok.com"), DEADLINE);
      assertFalse(blocked("facebook.com"), "an entry taken out of the list is no longer blocked");
      assertTrue(blocked("proxysite.com"), "the unchanged list is still loaded");
      assertEquals(1, watcher.reloads());
    }
  }

  @Test
  void anInPlaceRewriteWithABumpedModificationTimeIsSeen() throws Exception {
    try (BlocklistWatcher watcher = new BlocklistWatcher(folder, engine, INTERVAL)) {
      Path social = folder.resolve("social.txt");
      FileTime before = Files.getLastModifiedTime(social);
      Files.writeString(social, "facebook.com\ninstagram.com\n");
      Files.setLastModifiedTime(social, FileTime.from(before.toInstant().plusSeconds(60)));

      Await.until("instagram.com blocked after the reload", () -> blocked("instagram.com"), DEADLINE);
      assertTrue(blocked("facebook.com"));
      assertTrue(watcher.reloads() >= 1);
    }
  }

  @Test
  void badLinesInAChangedListAreSkippedAndTheRestApplies() throws Exception {
    try (BlocklistWatcher watcher = new BlocklistWatcher(folder, engine, INTERVAL)) {
      replace("social.txt", "facebook.com\nthis is not a domain\nsnapchat.com\n");

      Await.until("snapchat.com blocked after the reload", () -> blocked("snapchat.com"), DEADLINE);
      assertTrue(blocked("facebook.com"));
      assertEquals(1, watcher.reloads());
      assertTrue(log.has(Level.WARN, "blocklist line skipped: blocklists/social.txt:2: \"this is not a domain\" is not a domain"),
          log::toString);
    }
  }

  @Test
  void aReloadThatFailsKeepsThePreviousListsUntilTheNextGoodOne() throws Exception {
    try (BlocklistWatcher watcher = new BlocklistWatcher(folder, engine, INTERVAL)) {
      Files.delete(folder.resolve("social.txt"));

      // The watcher reports the failed reload; from then on it has acted on the deletion.
      Await.until("the failed reload is logged", () -> log.has(Level.ERROR, "blocklist reload failed"), DEADLINE);
      assertEquals(0, watcher.reloads());
      assertTrue(blocked("facebook.com"), "the previous social list is still in force");
      assertTrue(blocked("proxysite.com"));

      replace("social.txt", "facebook.com\ntiktok.com\n");

      Await.until("tiktok.com blocked once the list is back", () -> blocked("tiktok.com"), DEADLINE);
      assertTrue(blocked("facebook.com"));
      assertEquals(1, watcher.reloads());
    }
  }

  @Test
  void aFailedReloadSwapsNothingIntoTheEngine() throws Exception {
    try (BlocklistWatcher watcher = new BlocklistWatcher(folder, engine, INTERVAL)) {
      var before = engine.policy();
      Files.delete(folder.resolve("social.txt"));

      Await.until("the failed reload is logged", () -> log.has(Level.ERROR, "blocklist reload failed"), DEADLINE);
      org.junit.jupiter.api.Assertions.assertSame(before, engine.policy(), "the engine still decides on the very same policy");
      assertEquals(0, watcher.reloads());
      assertTrue(blocked("facebook.com"), "the previous social list is still in force");
    }
  }

  /** Collects what BlocklistWatcher logs, safely across threads. */
  static final class LogCapture extends AppenderBase<ILoggingEvent> {
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(BlocklistWatcher.class);

    void attach() {
      start();
      logger.addAppender(this);
    }

    void detach() {
      logger.detachAppender(this);
      stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
      events.add(event);
    }

    boolean has(Level level, String messageStart) {
      return events.stream().anyMatch(e -> e.getLevel() == level && e.getFormattedMessage().startsWith(messageStart));
    }

    @Override
    public String toString() {
      return events.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList().toString();
    }
  }
}
