package org.schoolgate.console;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.proxy.Categories;
import org.schoolgate.store.Rows;

/** The policy in a headteacher's words, shared by the console's pages and the annual review. */
public final class Words {
  private Words() {}

  /** Categories in plain English, sorted by name, or "nothing". */
  public static String categories(Set<String> categories) {
    return categories.isEmpty() ? "nothing" : String.join(", ", categories.stream().sorted().map(Categories::plain).toList());
  }

  /** Whom a lesson allowance is for: "the year9 group" or "the device 10.10.4.21". */
  public static String allowedFor(Rows.OverrideRow o) {
    return o.group() != null ? "the " + o.group() + " group" : "the device " + o.client();
  }

  /** What a lesson allowance allows: its categories in plain English, or its sites. */
  public static String allowed(Rows.OverrideRow o) {
    return o.categories().isEmpty() ? String.join(", ", o.domains())
        : String.join(", ", o.categories().stream().map(Categories::plain).toList());
  }

  // --- The system's codes in a headteacher's words (issue 24.4): codes stay in the API and the logs. ---

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEEE d MMMM, HH:mm", Locale.UK);
  private static final DateTimeFormatter WHEN_YEAR = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.UK);

  /** The audit's actions. */
  private static final Map<String, String> ACTIONS = Map.ofEntries(
      Map.entry("block", "Blocked a site"),
      Map.entry("unblock", "Removed a block"),
      Map.entry("override", "Allowed for a lesson"),
      Map.entry("delete-override", "Ended a lesson allowance early"),
      Map.entry("release-supervision", "Released a device from supervision"),
      Map.entry("name-device", "Named a device"),
      Map.entry("report-inappropriate", "Reported a site that should be blocked"),
      Map.entry("report-unblock", "Reported a site that should be allowed"),
      Map.entry("approve-report-block", "Agreed with a report and blocked the site"),
      Map.entry("approve-report-allow", "Agreed with a report and allowed the site"),
      Map.entry("approve-report", "Agreed with a report"),
      Map.entry("dismiss-report", "Did not take up a report"),
      Map.entry("user-add", "Added a staff account"),
      Map.entry("user-update", "Changed a staff account"),
      Map.entry("user-remove", "Removed a staff account"),
      Map.entry("password", "Changed a password"));

  /** What was tried, for each kind of attempt to get round the filter (and the supervision events beside them). */
  private static final Map<String, String> ATTEMPTS = Map.ofEntries(
      Map.entry("circumvention-site", "a site for getting round the filter"),
      Map.entry("connect-port", "a tunnel to an unusual port"),
      Map.entry("ip-literal", "a site by its number (IP address)"),
      Map.entry("no-sni", "a secure connection with no site name"),
      Map.entry("ech", "a hidden site name (Encrypted Client Hello)"),
      Map.entry("not-tls", "something that was not web traffic"),
      Map.entry("dns", "looking up a site for getting round the filter (DNS)"),
      Map.entry("supervised", "put under supervision"),
      Map.entry("released", "released from supervision"));

  private static final Pattern WITHIN = Pattern.compile("within (\\d+)([smhd])\\b");
  private static final Pattern SUPERVISED = Pattern.compile("(\\d+) attempts within (\\d+)([smhd]); mode (\\w+)");

  /** An instant as a person reads it, always with its year: "Monday 7 December 2026, 14:05" in {@code zone}. */
  public static String withYear(Instant at, ZoneId zone) {
    return WHEN_YEAR.format(at.atZone(zone));
  }

  /**
   * A stored time ("2026-12-07T14:05:00+00:00") as a person reads it: "Monday 7 December, 14:05" in the
   * school's zone, with the year when it is not {@code now}'s; text that is not a time, as it is.
   */
  public static String when(String ts, ZoneId zone, Instant now) {
    if (ts == null || ts.isEmpty()) {
      return "";
    }
    try {
      var at = OffsetDateTime.parse(ts).atZoneSameInstant(zone);
      return (at.getYear() == now.atZone(zone).getYear() ? WHEN : WHEN_YEAR).format(at);
    } catch (DateTimeParseException e) {
      return ts;
    }
  }

  /** An audit action ("approve-report-block") in words; an unknown one with its dashes as spaces. */
  public static String action(String code) {
    if (code == null) {
      return "";
    }
    String known = ACTIONS.get(code);
    return known != null ? known : capital(code.replace('-', ' '));
  }

  /** Who made a change: "cli:root" is "the command line (root)". */
  public static String actor(String user) {
    if (user != null && user.startsWith("cli:")) {
      return "the command line (" + user.substring(4) + ")";
    }
    return user == null ? "" : user;
  }

  /** The target of an audit line: "override 12" is "lesson allowance 12"; a role is said in words. */
  public static String target(String target) {
    if (target == null) {
      return "";
    }
    return target.startsWith("override ") ? "lesson allowance " + target.substring(9) : target;
  }

  /** The reason of an audit line: "role netmgr" is "as network manager". */
  public static String reason(String reason) {
    if (reason == null) {
      return "";
    }
    if (reason.startsWith("role ")) {
      return "as " + role(reason.substring(5));
    }
    return reason;
  }

  public static String role(String role) {
    return switch (role) {
      case "head" -> "headteacher";
      case "netmgr" -> "network manager";
      case "staff" -> "member of staff";
      default -> role;
    };
  }

  /** What was tried ("ip-literal") in words. */
  public static String attempt(String kind) {
    if (kind == null) {
      return "";
    }
    String known = ATTEMPTS.get(kind);
    return known != null ? known : kind.replace('-', ' ');
  }

  /** The attempt kinds of a device, in words, joined. */
  public static String attempts(java.util.Collection<String> kinds) {
    return String.join("; ", kinds.stream().map(Words::attempt).toList());
  }

  /**
   * An event's or alert's detail in words: a rule ("social:facebook.com") as the list it is on,
   * "5 attempts within 10m; mode lockdown" as a sentence, kinds and modes named, anything else as it is.
   */
  public static String detail(String detail) {
    if (detail == null) {
      return "";
    }
    Matcher m = SUPERVISED.matcher(detail);
    if (m.find()) {
      String said = m.group(1) + " attempts within " + duration(Long.parseLong(m.group(2)), m.group(3)) + "; "
          + mode(m.group(4));
      detail = detail.substring(0, m.start()) + said + detail.substring(m.end());
    }
    Matcher within = WITHIN.matcher(detail);
    StringBuilder said = new StringBuilder();
    while (within.find()) {
      within.appendReplacement(said, "within " + duration(Long.parseLong(within.group(1)), within.group(2)));
    }
    detail = within.appendTail(said).toString();
    detail = detail.replace("put under supervision (lockdown)", "put under supervision (" + mode("lockdown") + ")")
        .replace("put under supervision (record)", "put under supervision (" + mode("record") + ")");
    for (Map.Entry<String, String> k : ATTEMPTS.entrySet()) {
      detail = detail.replace("the last: " + k.getKey(), "the last: " + k.getValue());
    }
    int colon = detail.indexOf(':');
    if (colon > 0 && detail.indexOf(' ') < 0 && colon < detail.length() - 1) {
      String list = detail.substring(0, colon);
      String site = detail.substring(colon + 1);
      return site + " is on the list of " + Categories.plain(list.contains("#") ? list.substring(0, list.indexOf('#')) : list);
    }
    return detail;
  }

  /** A supervision mode in words. */
  public static String mode(String mode) {
    return switch (mode) {
      case "lockdown" -> "learning sites only";
      case "record" -> "recorded only";
      default -> mode;
    };
  }

  private static String duration(long n, String unit) {
    String word = switch (unit) {
      case "s" -> "second";
      case "m" -> "minute";
      case "h" -> "hour";
      default -> "day";
    };
    return n + " " + word + (n == 1 ? "" : "s");
  }

  private static String capital(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Why a visit was blocked, from its access line's category and rule ("social:facebook.com"), in words. */
  public static String why(String category, String rule, String host) {
    if (category == null) {
      return "blocked by the filter";
    }
    String said = switch (category) {
      case "reported" -> "the school blocked this site";
      case "supervision" -> "the device is under supervision: learning sites only";
      case "circumvention" -> "a way of getting round the filter";
      case "self" -> "the filter's own address";
      default -> "on the list of " + Categories.plain(category);
    };
    int colon = rule == null ? -1 : rule.indexOf(':');
    String listed = colon < 0 ? null : rule.substring(colon + 1);
    return listed != null && host != null && !listed.equals(host) && !listed.isEmpty() ? said + " (as part of " + listed + ")"
        : said;
  }
}
