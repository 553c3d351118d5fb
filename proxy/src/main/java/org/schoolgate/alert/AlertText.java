package org.schoolgate.alert;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.schoolgate.store.Rows;

/**
 * An alert in words, the same in the email and the webhook's {@code text}: a headteacher reads it,
 * not a program. What pupils and staff typed or sent (the text of what happened, device names) is
 * one line and capped here ({@link Inert#line}), so it cannot forge lines of the message; the
 * webhook also strips markup ({@link Inert#chat}).
 */
final class AlertText {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.UK);

  private AlertText() {}

  /** The most characters of what happened an alert carries (a flood's summary is the longest). */
  static final int WHAT_MAX = 2_000;

  static String headline(Rows.Alert a) {
    String who = Inert.line(a.deviceLabel(), 140);
    if (Flood.isSummary(a)) {
      return switch (a.kind()) {
        case "supervised" -> "Many devices were put under supervision";
        case "category" -> "Many pupils' devices were blocked from sensitive sites";
        case "report" -> "Many sites were reported";
        default -> "Many schoolgate alerts: " + a.kind();
      };
    }
    return switch (a.kind()) {
      case "supervised" -> who + " was put under supervision";
      case "category" -> "A pupil's device " + who + " was blocked from a sensitive site";
      case "report" -> "A site was reported";
      case "lists" -> "A category list has not been updated for 3 days";
      default -> "schoolgate alert: " + a.kind();
    };
  }

  static String when(String ts, ZoneId zone) {
    return OffsetDateTime.parse(ts).atZoneSameInstant(zone).format(WHEN) + " (" + zone.getId() + ")";
  }

  /** What happened, one line of at most {@link #WHAT_MAX} characters. */
  static String what(Rows.Alert a) {
    return Inert.line(a.what(), WHAT_MAX);
  }

  static String body(Rows.Alert a, ZoneId zone) {
    StringBuilder b = new StringBuilder();
    b.append(headline(a)).append(".\n\n");
    b.append("What happened: ").append(what(a)).append('\n');
    b.append("When: ").append(when(a.ts(), zone)).append('\n');
    if (a.count() > 1) {
      b.append("Repeats: ").append(a.count()).append(" times in all, the last at ").append(when(a.lastTs(), zone))
          .append('\n');
    }
    if (!a.deviceLabel().isEmpty()) {
      b.append("Device: ").append(a.device());
      if (a.name() != null) {
        b.append(", named \"").append(Inert.line(a.name(), 100)).append('"');
      }
      if (a.mac() != null) {
        b.append(", MAC ").append(a.mac());
      }
      b.append('\n');
    }
    if (!a.group().isEmpty()) {
      b.append("Group: ").append(a.group()).append('\n');
    }
    if (a.ref() != null) {
      b.append("Reference: ").append(a.ref()).append('\n');
    }
    if (a.link() != null) {
      b.append("See it in the console: ").append(a.link()).append('\n');
    }
    b.append("\nAlert ").append(a.uid()).append(" from schoolgate, the school's web filter.\n");
    return b.toString();
  }
}
