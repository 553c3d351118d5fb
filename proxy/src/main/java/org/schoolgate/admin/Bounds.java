package org.schoolgate.admin;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How much one person may type and ask for (issue 21.1): one staff account must not be able to
 * take the filter down. Every text a person types has a length, every count a ceiling, every list
 * a page. The numbers, in one place:
 * <ul>
 *   <li>a report's note, a reason, an override's reason: {@value #NOTE} characters (the console's
 *       forms say so with {@code maxlength});</li>
 *   <li>a reported URL: {@value #URL} characters (what browsers and servers commonly handle);</li>
 *   <li>an override's list of sites: {@value #DOMAINS} sites;</li>
 *   <li>reports one account files in a day (in the school's time zone): {@value #REPORTS_PER_DAY}
 *       (429 past it; a teacher reporting a page a lesson files a handful);</li>
 *   <li>a list page or API list: {@value #PAGE} rows unless {@code ?limit=} asks for up to
 *       {@value #MOST_PER_PAGE}, the next page by {@code ?before=} the last id shown.</li>
 * </ul>
 */
public final class Bounds {
  public static final int NOTE = 2_000;
  public static final int URL = 2_048;
  public static final int DOMAINS = 100;
  public static final int REPORTS_PER_DAY = 50;
  public static final int PAGE = 50;
  public static final int MOST_PER_PAGE = 200;

  private Bounds() {}

  /** The reason a change is made, kept in the audit log: required, and a note's length at most. */
  public static String reason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new ApiError(400, "Please give a reason; it is kept in the audit log");
    }
    return note(reason, "reason");
  }

  /** {@code text} stripped, or 400 with a sentence naming {@code what} when it is longer than {@link #NOTE}. */
  public static String note(String text, String what) {
    if (text != null && text.length() > NOTE) {
      throw new ApiError(400, "The " + what + " is too long (" + NOTE + " characters at most); nothing was saved.");
    }
    return text == null ? "" : text.strip();
  }

  public static String url(String url) {
    if (url != null && url.length() > URL) {
      throw new ApiError(400, "That address is too long (" + URL + " characters at most); nothing was saved.");
    }
    return url;
  }

  public static <T> List<T> domains(List<T> domains) {
    if (domains != null && domains.size() > DOMAINS) {
      throw new ApiError(400, "At most " + DOMAINS + " sites can be allowed at once; nothing was saved.");
    }
    return domains;
  }

  /** The start of {@code now}'s day in {@code zone}: where the reports-per-day count starts. */
  public static Instant startOfDay(Instant now, ZoneId zone) {
    return now.atZone(zone).truncatedTo(ChronoUnit.DAYS).toInstant();
  }

  public static ApiError tooManyReports(Instant now, ZoneId zone) {
    long wait = Math.max(1, now.until(startOfDay(now, zone).atZone(zone).plusDays(1).toInstant(), ChronoUnit.SECONDS));
    return new ApiError(429, "You have filed " + REPORTS_PER_DAY + " reports today, the most one account may file in a day; "
        + "nothing was saved. Please try again tomorrow, or ask the network manager.", wait);
  }

  /** {@code ?limit=}: {@link #PAGE} when absent, else a whole number from 1 to {@code most}; 400 otherwise. */
  public static int limit(String s, int most) {
    if (s == null) {
      return Math.min(PAGE, most);
    }
    try {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= most) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the sentence below
    }
    throw new ApiError(400, "limit is a whole number from 1 to " + most);
  }

  /** {@code ?before=}: the id the next page starts below; 0 (from the newest) when absent; 400 otherwise. */
  public static long before(String s) {
    if (s == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(s);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the sentence below
    }
    throw new ApiError(400, "before is the id of the last row of the page before, a whole number above 0");
  }

  /** {@code ?offset=}: how many rows of an in-memory list to skip; 0 when absent; 400 otherwise. */
  public static long offset(String s) {
    if (s == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(s);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the sentence below
    }
    throw new ApiError(400, "offset is a whole number, 0 or more");
  }
}
