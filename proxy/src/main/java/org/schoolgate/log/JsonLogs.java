package org.schoolgate.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Marker;

/**
 * Writes {@code access.jsonl}, {@code events.jsonl} and {@code audit.jsonl} under {@code log_dir}
 * through a logback context of its own, configured from {@code logback.xml} beside the
 * configuration file (or the built-in copy). Each server gets its own context, so two servers
 * in one JVM (tests) never share files.
 *
 * <p>Access and event lines are handed over on a lock-free queue and written by one thread in
 * batches, every {@link #BATCH_NANOS} or sooner when many are waiting, with one flush per batch.
 * (logback's AsyncAppender woke its worker on every line: a context switch and a write() per
 * request on the event loop's core.) The queue is unbounded: nothing is ever dropped.
 */
public final class JsonLogs implements ProxyEvents, AutoCloseable {
  private final LoggerContext context = new LoggerContext();
  private final Logger access;
  private final Logger events;
  private final Logger audit;
  private final Logger dns;
  static final long BATCH_NANOS = 20_000_000L;
  private static final int WAKE_AT = 4096;
  private final java.util.Queue<Object> queue = io.netty.util.internal.PlatformDependent.newMpscQueue();
  private final Thread writer;
  private volatile boolean running = true;
  /** The {@code site} field of every line (SPEC section 12): which school's gateway wrote it. */
  private final JsonRecord site;
  private volatile AccessTap tap = AccessTap.NONE;
  private final WriteCheck eventsCheck = new WriteCheck();
  private final java.util.concurrent.atomic.LongAdder eventWriteFailures = new java.util.concurrent.atomic.LongAdder();
  private long lastFailureLogged;

  /** @param site this gateway's site, added to every line (null: none) */
  public JsonLogs(Path logDir, int retentionDays, Path configFolder, String site) throws IOException {
    this.site = out -> {
      if (site != null) {
        out.string("site", site);
      }
    };
    Files.createDirectories(logDir);
    context.setName("schoolgate-json-" + System.identityHashCode(this));
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // a hand-made context has none
    context.putProperty("LOG_DIR", logDir.toAbsolutePath().toString());
    context.putProperty("RETENTION_DAYS", Integer.toString(retentionDays));
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    Path external = configFolder == null ? null : configFolder.resolve("logback.xml");
    try {
      if (external != null && Files.isRegularFile(external)) {
        configurator.doConfigure(external.toFile());
      } else {
        URL builtIn = JsonLogs.class.getResource("/schoolgate-logback.xml");
        try (InputStream in = builtIn.openStream()) {
          configurator.doConfigure(in);
        }
      }
    } catch (JoranException e) {
      throw new IOException("cannot configure the JSON logs: " + e.getMessage(), e);
    }
    if (new ch.qos.logback.core.status.StatusUtil(context).getHighestLevel(0) >= ch.qos.logback.core.status.Status.ERROR) {
      new StatusPrinter2().print(context);
      throw new IOException("the logback configuration for the JSON logs has errors (printed above)");
    }
    this.access = context.getLogger("schoolgate.access");
    this.events = context.getLogger("schoolgate.events");
    this.audit = context.getLogger("schoolgate.audit");
    this.dns = context.getLogger("schoolgate.dns");
    this.writer = new Thread(this::writeLoop, "schoolgate-log-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void access(AccessRecord record) {
    enqueue(record);
  }

  /** Sets what sees every access line on the writer thread (the review's counters); set once, before traffic. */
  public void tap(AccessTap tap) {
    this.tap = tap;
  }

  @Override
  public void circumvention(CircumventionRecord record) {
    enqueue(record);
  }

  /**
   * The event's line is written, flushed and synced to the file before {@code durable} hears of it
   * ({@link WriteCheck}: a write failure is seen, never swallowed); the writer wakes at once.
   */
  @Override
  public void circumvention(CircumventionRecord record, Durable durable) {
    durable.hold();
    queue.offer(new Acknowledged(record, durable));
    java.util.concurrent.locks.LockSupport.unpark(writer);
  }

  /** A DNS guard query line ({@code dns.jsonl}, only when {@code dns.log_queries} is on). */
  public void dns(DnsQueryRecord record) {
    enqueue(record);
  }

  private record Acknowledged(CircumventionRecord record, Durable durable) {}

  private void enqueue(Object record) {
    queue.offer(record);
    if (queue.size() == WAKE_AT) { // otherwise the writer comes by within BATCH_NANOS
      java.util.concurrent.locks.LockSupport.unpark(writer);
    }
  }

  private void writeLoop() {
    java.util.List<Durable> written = new java.util.ArrayList<>();
    long mark = 0;
    while (running || !queue.isEmpty()) {
      int n = 0;
      for (Object r; (r = queue.poll()) != null; n++) {
        if (r instanceof AccessRecord a) {
          access.info((Marker) null, "access", a, site);
          tap.access(a);
        } else if (r instanceof DnsQueryRecord q) {
          dns.info((Marker) null, "dns", q, site);
        } else if (r instanceof Acknowledged ack) {
          if (written.isEmpty()) {
            mark = eventsCheck.mark(events);
          }
          events.info((Marker) null, "event", ack.record(), site);
          written.add(ack.durable());
        } else {
          events.info((Marker) null, "event", r, site);
        }
      }
      if (n > 0) {
        flush(access);
        flush(dns);
        if (written.isEmpty()) {
          flush(events);
        } else {
          boolean onDisk = eventsCheck.sync(events, mark); // flushed and synced, or the failure seen
          if (!onDisk) {
            eventWriteFailed(written.size());
          }
          for (Durable d : written) {
            d.written(onDisk);
          }
          written.clear();
        }
      } else if (running) {
        java.util.concurrent.locks.LockSupport.parkNanos(BATCH_NANOS);
      }
      tap.idle(false);
    }
    tap.idle(true);
  }

  /**
   * Flushes the logger's file appenders that do not flush every line themselves; false if one
   * failed (the lines are then not known to be in the file).
   */
  private static boolean flush(Logger logger) {
    boolean ok = true;
    for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ch.qos.logback.core.OutputStreamAppender<?> out && !out.isImmediateFlush()
          && out.getOutputStream() != null) {
        try {
          out.getOutputStream().flush();
        } catch (IOException e) {
          ok = false; // logback reports write failures through its own status; the next batch tries again
        }
      }
    }
    return ok;
  }

  /**
   * An acknowledged event's line is not known to be on disk (a full disk, an unwritable folder):
   * its refusal is not sent (the connection is closed instead: still refused, never let through),
   * and the failure is logged (at most once a minute) and counted.
   */
  private void eventWriteFailed(int events) {
    eventWriteFailures.add(events);
    long now = System.nanoTime();
    if (lastFailureLogged == 0 || now - lastFailureLogged > 60_000_000_000L) {
      lastFailureLogged = now;
      org.slf4j.LoggerFactory.getLogger(JsonLogs.class).error("cannot write events.jsonl (is the disk full?): the"
          + " refused connections whose events could not be written are closed without their block page");
    }
  }

  /** Acknowledged events whose line could not be written to events.jsonl. */
  public long eventWriteFailures() {
    return eventWriteFailures.sum();
  }

  /** An audit line; {@code record} writes ts, user, action, target, reason. */
  public void audit(AuditRecord record) {
    audit.info((Marker) null, "audit", record, site);
  }

  /** Writes what is queued, then closes the files. */
  @Override
  public void close() {
    running = false;
    java.util.concurrent.locks.LockSupport.unpark(writer);
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    context.stop();
  }
}
