package org.schoolgate.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.recovery.RecoveryListener;
import ch.qos.logback.core.recovery.ResilientFileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Makes write failures of a logger's files visible to the code that acknowledges a line. logback's
 * file appenders swallow them: its resilient stream catches the IOException (a full disk), reports
 * it as a status, and drops every line until it has reopened the file. Here every stream the
 * logger writes through is watched (a {@link RecoveryListener}, added again after a daily roll
 * opens a new stream), and {@link #sync} flushes and fsyncs the files: a line is on disk only if
 * the sync throws nothing, the appenders still run, and no failure or recovery happened meanwhile
 * (a line written in between was dropped). Used on the log writer's own thread only.
 */
final class WriteCheck implements RecoveryListener {
  private final Set<OutputStream> watched = Collections.newSetFromMap(new WeakHashMap<>());
  /** Failures and recoveries seen so far: a line written while this changed is not known to be on disk. */
  private volatile long changes;
  private volatile boolean inError;

  /** Watches the logger's current streams; returns the mark to pass to {@link #sync}. */
  long mark(Logger logger) {
    for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<?> out && out.getOutputStream() instanceof ResilientFileOutputStream s
          && watched.add(s)) {
        s.addRecoveryListener(this);
      }
    }
    return changes;
  }

  /** Flushes and fsyncs the logger's files; true if every line written since {@code mark} is on disk. */
  boolean sync(Logger logger, long mark) {
    boolean ok = true;
    for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<?> out) {
        if (!out.isStarted() || out.getOutputStream() == null) {
          ok = false;
          continue;
        }
        try {
          out.getOutputStream().flush();
          if (out.getOutputStream() instanceof ResilientFileOutputStream s) {
            s.getChannel().force(false);
          }
        } catch (IOException e) {
          ok = false;
        }
      }
    }
    return ok && !inError && changes == mark;
  }

  @Override
  public void newFailure(IOException e) {
    inError = true;
    changes++;
  }

  @Override
  public void recoveryOccured() {
    inError = false;
    changes++;
  }
}
