package org.schoolgate.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.log.Timestamps;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;

/**
 * Alert floods (a hundred pupils blocked in a minute): past {@link #LIMIT} new alerts of one kind
 * within {@link #WINDOW} (constants, not configuration), each further occurrence is folded into
 * one summary alert of that kind, which names every device and site in it — up to {@link #CAP}
 * characters, then a count of the rest — so nothing is dropped and the lead gets one message
 * instead of a hundred. A summary waits {@link #HOLD} before it is sent, gathering what follows;
 * once it has been tried, the next occurrence starts another.
 */
final class Flood {
  /** New alerts of one kind in {@link #WINDOW} before the rest are summarised. */
  static final int LIMIT = 10;
  static final Duration WINDOW = Duration.ofMinutes(10);
  /** How long a summary gathers before it is sent. */
  static final Duration HOLD = Duration.ofMinutes(1);
  /** The most characters a summary's list takes; past it, only a count. */
  static final int CAP = 1_500;
  /** The fold key of summaries (devices are empty). */
  static final String KEY = "summary";
  static final String HEADER = "More than " + LIMIT + " alerts of this kind within " + WINDOW.toMinutes()
      + " minutes, so the rest are gathered in this one: ";
  private static final Pattern MORE = Pattern.compile("(.*) \\(and (\\d+) more\\)", Pattern.DOTALL);

  private Flood() {}

  static boolean isSummary(Rows.Alert a) {
    return a.device().isEmpty() && a.what().startsWith(HEADER);
  }

  /**
   * Folds {@code o} into its kind's summary when the kind is flooding (a new summary when there is
   * none waiting); null when it is not, and {@code o} is an alert of its own.
   */
  static Rows.Alert fold(Store.Ops ops, Alerts.Occurrence o, String ts, ZoneId zone, Clock clock, String link) {
    String since = Timestamps.format(o.at().minus(WINDOW), zone);
    if (ops.alerts().countSince(o.kind(), since, KEY) < LIMIT) {
      return null;
    }
    String item = item(o);
    Rows.Alert open = ops.alerts().latest("", o.kind(), KEY);
    if (open != null && open.state().equals("pending") && open.attempts() == 0) {
      ops.alerts().fold(open.id(), ts, append(open.what(), item));
      return open;
    }
    return ops.alerts().add(new Rows.Alert(0, UUID.randomUUID().toString(), o.kind(), "", null, null, "", ts, ts, 1,
        HEADER + item, null, link, "pending", 0, clock.millis() + HOLD.toMillis(), null, null, null, null), KEY);
  }

  /** One occurrence in a summary's list: its device and site, one short line. */
  static String item(Alerts.Occurrence o) {
    String device = o.device() == null ? "" : o.device();
    String site = o.site().isEmpty() ? "" : (device.isEmpty() ? "" : " at ") + o.site();
    return Inert.line(device + site, 120);
  }

  /** {@code what} with {@code item} listed, or counted once the list is full. */
  static String append(String what, String item) {
    Matcher m = MORE.matcher(what);
    if (m.matches()) {
      return m.group(1) + " (and " + (Long.parseLong(m.group(2)) + 1) + " more)";
    }
    if (what.length() + 2 + item.length() > HEADER.length() + CAP) {
      return what + " (and 1 more)";
    }
    return what + "; " + item;
  }
}
