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
 * in one JVM (tests) never share files. Appenders are asynchronous and never discard: the
 * event loops hand over a record and return; under a disk stall they wait rather than drop.
 */
public final class JsonLogs implements ProxyEvents, AutoCloseable {
  private final LoggerContext context = new LoggerContext();
  private final Logger access;
  private final Logger events;
  private final Logger audit;

  public JsonLogs(Path logDir, int retentionDays, Path configFolder) throws IOException {
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
  }

  @java.lang.Override
  public void access(AccessRecord record) {
    access.info((Marker) null, "access", record);
  }

  @java.lang.Override
  public void circumvention(CircumventionRecord record) {
    events.info((Marker) null, "event", record);
  }

  /** An audit line; {@code record} writes ts, user, action, target, reason. */
  public void audit(net.logstash.logback.argument.StructuredArgument record) {
    audit.info((Marker) null, "audit", record);
  }

  /** Flushes what is queued and closes the files. */
  @java.lang.Override
  public void close() {
    context.stop();
  }
}
