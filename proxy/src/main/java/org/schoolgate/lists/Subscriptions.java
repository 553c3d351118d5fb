package org.schoolgate.lists;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.schoolgate.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.schoolgate.values.Threads;

/**
 * Keeps every enabled subscription current (SPEC section 13) on its own thread: fetched at once
 * when it has no good copy, else once a day at a random minute inside the window; after a failure,
 * again after 1 minute, doubling to 6 hours, whatever the window. A good copy is kept on disk and
 * swapped in through {@link Hooks#swap}; a refused one changes nothing but its state.
 */
public final class Subscriptions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
  static final Duration STALE = Duration.ofDays(3);

  /** What a fetch leads to outside this package. Called on the lists thread. */
  public interface Hooks {
    /** Loads the lists with the copies now in force and swaps them in; false when that failed. */
    boolean swap();

    /** A swap happened: one audit row. */
    default void swapped(String subscription, String reason) {}

    /** No good fetch for 3 days: one alert. */
    default void stale(String subscription, String sentence) {}

    Hooks NONE = () -> true;
  }

  private final Config.Lists config;
  private final Clock clock;
  private final Schedule schedule;
  private final Fetcher fetcher;
  private final Converter converter;
  private volatile Hooks hooks = Hooks.NONE;
  private final Map<String, CopyStore> stores = new LinkedHashMap<>();
  private final Map<String, CopyStore.State> states = new ConcurrentHashMap<>();
  private final Map<String, CopyStore.Copy> newest = new ConcurrentHashMap<>();
  private final Set<String> forced = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, LongAdder>> failures = new ConcurrentHashMap<>();
  private ScheduledExecutorService thread;

  public Subscriptions(Config.Lists config, Path dataDir, ZoneId zone, Clock clock, Random random, Fetcher fetcher) {
    this.config = config;
    this.clock = clock;
    this.schedule = new Schedule(config.window(), zone, random);
    this.fetcher = fetcher;
    this.converter = new Converter(Math.max(config.maxSize(), 1L << 20) * 16);
    for (Config.Subscription s : config.subscriptions()) {
      CopyStore store = new CopyStore(dataDir.resolve("lists"), s.name());
      stores.put(s.name(), store);
      states.put(s.name(), store.state());
      CopyStore.Copy c = store.newest();
      if (c != null) {
        newest.put(s.name(), c);
      }
      Map<String, LongAdder> byReason = new ConcurrentHashMap<>();
      Refusal.REASONS.forEach(r -> byReason.put(r, new LongAdder()));
      failures.put(s.name(), byReason);
    }
  }

  public void hooks(Hooks h) {
    this.hooks = h;
  }

  /** Starts the lists thread: a look every {@code every}, the first at once (start-up does not wait for it). */
  public synchronized Subscriptions start(Duration every) {
    thread = Executors.newSingleThreadScheduledExecutor(Threads.daemon("schoolgate-lists"));
    thread.scheduleWithFixedDelay(this::tickSafely, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * The per-category domain files of the good copies in force (enabled subscriptions only), and
   * their exception files under {@link org.schoolgate.blocklist.Blocklists#EXCEPTIONS}.
   */
  public Map<String, List<Path>> inForce() {
    Map<String, List<Path>> out = new LinkedHashMap<>();
    for (Config.Subscription s : config.subscriptions()) {
      CopyStore.Copy c = newest.get(s.name());
      if (s.enabled() && c != null) {
        for (String category : s.categories()) {
          Path f = c.file(category);
          if (Files.exists(f)) {
            out.computeIfAbsent(category, k -> new ArrayList<>()).add(f);
          }
        }
        Path exceptions = c.dir().resolve(Converter.EXCEPTIONS_FILE);
        if (Files.exists(exceptions)) {
          out.computeIfAbsent(org.schoolgate.blocklist.Blocklists.EXCEPTIONS, k -> new ArrayList<>()).add(exceptions);
        }
      }
    }
    return out;
  }

  /** Asks for a fetch now; false when there is no enabled subscription of that name. */
  public boolean updateNow(String name) {
    Config.Subscription s = find(name);
    if (s == null || !s.enabled()) {
      return false;
    }
    forced.add(name);
    ScheduledExecutorService t = thread;
    if (t != null) {
      t.execute(this::tickSafely);
    }
    return true;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.error("lists: {}", e.toString(), e);
    }
  }

  /** Fetches every subscription that is due (or asked for), then looks for stale ones. */
  public synchronized void tick() {
    Instant now = clock.instant();
    for (Config.Subscription s : config.subscriptions()) {
      if (s.enabled() && (forced.remove(s.name()) || !nextAttempt(s, now).isAfter(now))) {
        fetch(s);
      }
    }
    Instant after = clock.instant();
    for (Config.Subscription s : config.subscriptions()) {
      CopyStore.State st = states.get(s.name());
      long basis = lastGood(s.name());
      basis = basis > 0 ? basis : st.failures() > 0 ? st.lastAttempt() : 0;
      if (s.enabled() && basis > 0 && st.failures() > 0 && st.alertedAt() < basis
          && !Instant.ofEpochMilli(basis).plus(STALE).isAfter(after)) {
        hooks.stale(s.name(), "The list \"" + s.name() + "\" has had no good download for 3 days (last error: "
            + st.lastError() + ")");
        save(s.name(), new CopyStore.State(st.lastAttempt(), st.lastSuccess(), st.lastError(), st.lastReason(),
            st.failures(), after.toEpochMilli()));
      }
    }
  }

  private void fetch(Config.Subscription s) {
    CopyStore store = stores.get(s.name());
    CopyStore.Copy last = newest.get(s.name());
    CopyStore.State st = states.get(s.name());
    long now = clock.millis();
    // A copy made under another mapping is no base for a conditional fetch or a size comparison.
    CopyStore.Copy base = last != null && mapping(s).equals(last.meta().mapping()) ? last : null;
    Path scratch = null;
    try {
      scratch = store.scratch(now);
      Path download = scratch.resolve("download");
      Fetcher.Fetched f = fetcher.fetch(s.url(), base == null ? null : base.meta().etag(),
          base == null ? null : base.meta().lastModified(), download);
      if (f.notModified() || (base != null && f.sha256().equals(base.meta().sha256()))) {
        CopyStore.deleteTree(scratch);
        if (base == null) {
          throw new Refusal("status", "the publisher answered 304 (not modified) to a request for a first copy");
        }
        save(s.name(), new CopyStore.State(now, now, null, null, 0, 0));
        log.info("list {} unchanged", s.name());
        return;
      }
      Converter.Converted c = converter.convert(download, s, scratch);
      Files.delete(download);
      if (base != null) {
        Shrink.check(base.meta().counts(), c.counts());
      }
      CopyStore.Copy copy = store.commit(scratch, new CopyStore.Meta(f.etag(), f.lastModified(), f.sha256(), now,
          c.counts(), c.skipped(), f.bytes(), mapping(s)), config.keep());
      newest.put(s.name(), copy);
      save(s.name(), new CopyStore.State(now, now, null, null, 0, 0));
      log.info("list {}: new copy {} ({} lines skipped, {} excepted)", s.name(), c.counts(), c.skipped(), c.excepted());
      if (hooks.swap()) {
        hooks.swapped(s.name(), "entries before " + (last == null ? "{}" : last.meta().counts()) + ", after " + c.counts());
      }
    } catch (Refusal r) {
      fail(s.name(), st, now, r.reason(), r.getMessage(), scratch);
    } catch (IOException e) {
      fail(s.name(), st, now, "disk", "could not keep the copy under " + store.dir() + ": " + e.getMessage(), scratch);
    }
  }

  private void fail(String name, CopyStore.State st, long now, String reason, String sentence, Path scratch) {
    failures.get(name).get(reason).increment();
    log.warn("list {} refused, the last good copy stays in force: {}", name, sentence);
    save(name, new CopyStore.State(now, st.lastSuccess(), sentence, reason, st.failures() + 1, st.alertedAt()));
    try {
      if (scratch != null) {
        CopyStore.deleteTree(scratch);
      }
    } catch (IOException e) {
      log.warn("list {}: could not remove {}: {}", name, scratch, e.getMessage());
    }
  }

  private void save(String name, CopyStore.State s) {
    states.put(name, s);
    try {
      stores.get(name).state(s);
    } catch (IOException e) {
      log.warn("list {}: could not write its state: {}", name, e.getMessage());
    }
  }

  long lastGood(String name) {
    CopyStore.Copy c = newest.get(name);
    return Math.max(states.get(name).lastSuccess(), c == null ? 0 : c.meta().fetchedAt());
  }

  /** When the subscription is next fetched (never before {@code now} is "now"). */
  Instant nextAttempt(Config.Subscription s, Instant now) {
    CopyStore.State st = states.get(s.name());
    if (st.failures() > 0) {
      return Schedule.backOff(Instant.ofEpochMilli(st.lastAttempt()), st.failures());
    }
    CopyStore.Copy c = newest.get(s.name());
    if (c == null || !mapping(s).equals(c.meta().mapping())) {
      return now; // no copy, or one made under another mapping: at once
    }
    return schedule.daily(s.name(), Instant.ofEpochMilli(lastGood(s.name())));
  }

  /** What a copy depends on besides the download: compared with the copy's own record of it. */
  static String mapping(Config.Subscription s) {
    return s.format() + " " + new java.util.TreeMap<>(s.map()) + " allow " + new java.util.TreeSet<>(s.allow()) + " "
        + s.category();
  }

  /** The entries per category of {@code name}'s newest good copy (none without one), for /metrics. */
  Map<String, Integer> entries(String name) {
    CopyStore.Copy c = newest.get(name);
    return c == null ? Map.of() : c.meta().counts();
  }

  /** Every subscription's state, in configuration order. */
  public List<ListStatus> statuses() {
    Instant now = clock.instant();
    List<ListStatus> out = new ArrayList<>();
    for (Config.Subscription s : config.subscriptions()) {
      CopyStore.State st = states.get(s.name());
      CopyStore.Copy c = newest.get(s.name());
      out.add(new ListStatus(s.name(), s.url().toString(), s.format(), s.licence(), s.enabled(), time(st.lastAttempt()),
          time(lastGood(s.name())), st.lastError(), c == null ? null : c.meta().etag(), c == null ? null : c.meta().sha256(),
          c == null ? Map.of() : c.meta().counts(), s.enabled() ? nextAttempt(s, now) : null,
          c == null ? null : Instant.ofEpochMilli(c.meta().fetchedAt())));
    }
    return out;
  }

  /** Refused fetches by subscription and reason, for /metrics. */
  public Map<String, Map<String, LongAdder>> failures() {
    return failures;
  }

  public Config.Lists config() {
    return config;
  }

  private Config.Subscription find(String name) {
    for (Config.Subscription s : config.subscriptions()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static Instant time(long millis) {
    return millis <= 0 ? null : Instant.ofEpochMilli(millis);
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
