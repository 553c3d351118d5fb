package org.schoolgate.blocklist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.schoolgate.config.CategoryFiles;
import org.schoolgate.policy.PolicyEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.schoolgate.values.Threads;

/**
 * Polls the blocklists folder and reloads when a list file changes (name, size or modification
 * time). The reload runs on this watcher's own thread and ends in one atomic policy swap, so
 * connections are never dropped; a reload that fails keeps the previous lists.
 */
public final class BlocklistWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlocklistWatcher.class);

  private final Path folder;
  private final PolicyEngine engine;
  private final ScheduledExecutorService thread;
  /** The subscriptions' good copies in force, per category (SPEC section 13); read at each reload. */
  private final Supplier<Map<String, List<Path>>> subscribed;
  private volatile Map<String, String> lastSeen;
  private volatile long reloads;
  private volatile long failures;

  public BlocklistWatcher(Path folder, PolicyEngine engine, Duration interval) {
    this(folder, engine, interval, Map::of);
  }

  public BlocklistWatcher(Path folder, PolicyEngine engine, Duration interval, Supplier<Map<String, List<Path>>> subscribed) {
    this.folder = folder;
    this.subscribed = subscribed;
    this.engine = engine;
    this.lastSeen = fingerprint();
    this.thread = Executors.newSingleThreadScheduledExecutor(Threads.daemon("schoolgate-blocklists"));
    thread.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Number of successful reloads so far. */
  public long reloads() {
    return reloads;
  }

  /** Number of reloads that failed (and kept the previous lists). */
  public long failures() {
    return failures;
  }

  private void poll() {
    try {
      Map<String, String> now = fingerprint();
      if (Objects.equals(now, lastSeen)) {
        return;
      }
      lastSeen = now;
      reload();
    } catch (RuntimeException e) {
      log.error("blocklist watcher: {}", e.toString(), e);
    }
  }

  /**
   * Loads the folder and the subscriptions' copies into a new set and swaps it in; false (the
   * previous lists kept) when that fails. One reload at a time, whoever asks.
   */
  public synchronized boolean reload() {
    var categories = engine.policy().lists().names();
    try {
      long start = System.nanoTime();
      Blocklists.Loaded loaded = Blocklists.load(folder, categories, subscribed.get());
      engine.update(p -> p.withLists(loaded.lists()));
      reloads++;
      for (String problem : loaded.problems()) {
        log.warn("blocklist line skipped: {}", problem);
      }
      log.info("blocklists reloaded in {} ms: {}", (System.nanoTime() - start) / 1_000_000, loaded.counts());
      return true;
    } catch (IOException | RuntimeException e) {
      failures++;
      log.error("blocklist reload failed, keeping the previous lists: {}", e.getMessage());
      return false;
    }
  }

  private Map<String, String> fingerprint() {
    Map<String, String> out = new TreeMap<>();
    try {
      for (Map.Entry<String, Path> e : CategoryFiles.scan(folder).entrySet()) {
        Path p = e.getValue();
        out.put(e.getKey(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
      }
    } catch (IOException e) {
      out.put("<error>", e.getMessage());
    }
    return out;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
