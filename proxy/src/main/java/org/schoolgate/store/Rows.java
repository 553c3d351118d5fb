package org.schoolgate.store;

import java.util.List;

/** The rows the store keeps, as immutable values. Times are ISO-8601 strings with offset. */
public final class Rows {
  private Rows() {}

  /**
   * The most characters of a person's text (a note, a reason, a URL, an audit row's target) that
   * a row read back carries: what is new is refused past this length (2,000 characters, 2,048 for
   * a URL), and what was stored before the bound is read only this far (SQL {@code substr}) and
   * shown cut, ending in "…" — so no list, page or review loads a huge old note into memory.
   */
  public static final int TEXT_SHOWN = 2_048;

  /** The column, read no further than one character past {@link #TEXT_SHOWN} (so {@link #cut} knows there was more). */
  static String head(String column) {
    return "substr(" + column + ", 1, " + (TEXT_SHOWN + 1) + ") AS " + column;
  }

  /** The text as read by {@link #head}: cut to {@link #TEXT_SHOWN} characters with "…" when there was more. */
  static String cut(String text) {
    return text == null || text.length() <= TEXT_SHOWN ? text : text.substring(0, TEXT_SHOWN - 1) + "\u2026";
  }

  public record User(String name, String role, byte[] salt, byte[] hash, int iterations, String createdAt) {}

  /** An admin block or allow; {@code site} null for every school of the trust, else the one school it applies to. */
  public record Block(String domain, String reason, String addedBy, String addedAt, Long reportId, String site) {
    public Block(String domain, String reason, String addedBy, String addedAt, Long reportId) {
      this(domain, reason, addedBy, addedAt, reportId, null);
    }

    /** Whether this block or allow is in force at {@code gatewaySite}. */
    public boolean appliesAt(String gatewaySite) {
      return site == null || site.equals(gatewaySite);
    }
  }

  /** @param site the site (school) whose gateway filed it; null for reports older than sites */
  public record Report(long id, String url, String host, String kind, String note, String status, String createdBy,
                       String createdAt, String decidedBy, String decidedAt, String decisionReason, String site) {
    public Report(long id, String url, String host, String kind, String note, String status, String createdBy,
                  String createdAt, String decidedBy, String decidedAt, String decisionReason) {
      this(id, url, host, kind, note, status, createdBy, createdAt, decidedBy, decidedAt, decisionReason, null);
    }
  }

  public record OverrideRow(long id, String group, String client, List<String> categories, List<String> domains,
                            String until, String reason, String createdBy, String createdAt) {}

  /** @param site the site (school) whose gateway made the change; null for rows older than sites */
  public record Audit(long id, String ts, String user, String action, String target, String reason, String site) {
    public Audit(long id, String ts, String user, String action, String target, String reason) {
      this(id, ts, user, action, target, reason, null);
    }
  }

  /**
   * @param site the site (school) whose gateway saw it; null for rows older than sites
   * @param user who was on the device's address by RADIUS accounting (SPEC 15), or null
   */
  public record Event(long id, String ts, String client, String group, String kind, String host, String detail,
                      String mac, String site, String user) {
    public Event(long id, String ts, String client, String group, String kind, String host, String detail, String mac) {
      this(id, ts, client, group, kind, host, detail, mac, null, null);
    }

    public Event(long id, String ts, String client, String group, String kind, String host, String detail, String mac,
                 String site) {
      this(id, ts, client, group, kind, host, detail, mac, site, null);
    }
  }

  /** Events of one kind on one day ({@code yyyy-mm-dd}, the school's date). */
  public record DayCount(String day, String kind, long count) {}

  public record Device(String address, String since, int attempts, List<String> kinds, String mode, String mac) {}

  /**
   * A safeguarding alert (SPEC 11) and its delivery: {@code state} is {@code pending} until every configured
   * channel took it, then {@code delivered}. {@code count} is how many occurrences were folded into it (digest);
   * {@code nextTry} is epoch milliseconds; {@code mailedAt}/{@code postedAt} say which channels have it.
   */
  public record Alert(long id, String uid, String kind, String device, String mac, String name, String group, String ts,
                      String lastTs, int count, String what, String ref, String link, String state, int attempts,
                      long nextTry, String mailedAt, String postedAt, String deliveredAt, String lastError, String site) {
    /** The device as people know it: "Y5 iPad 12 (10.10.3.4)", or its address; empty for none. */
    public String deviceLabel() {
      if (device == null || device.isEmpty()) {
        return "";
      }
      return name != null ? name + " (" + device + ")" : device;
    }

    /** An alert as raised (its site, the gateway's school, is written by the store). */
    public Alert(long id, String uid, String kind, String device, String mac, String name, String group, String ts,
                 String lastTs, int count, String what, String ref, String link, String state, int attempts,
                 long nextTry, String mailedAt, String postedAt, String deliveredAt, String lastError) {
      this(id, uid, kind, device, mac, name, group, ts, lastTs, count, what, ref, link, state, attempts, nextTry, mailedAt,
          postedAt, deliveredAt, lastError, null);
    }
  }

  /** A person's name for a device, keyed by its address or its MAC ({@code aa:bb:cc:dd:ee:ff}). */
  public record DeviceName(String device, String name, String setBy, String setAt) {}

  /**
   * Requests of one day ({@code yyyy-mm-dd}, the school's date), group, category ({@code ""} when none) and site
   * ({@code ""} for allowed requests, which are counted per category only) with one decision ({@code allow}, {@code block}).
   * A period's totals carry a null day.
   */
  public record Count(String day, String group, String category, String site, String decision, long n) {}

  /**
   * Who is on an address, from RADIUS accounting (SPEC 15): {@code nas} is the equipment that
   * reported it (NAS-IP-Address, else NAS-Identifier, else the sender's address), {@code since} when
   * its session started here (ISO-8601), {@code updatedMs} its last Start or Interim-Update (epoch ms).
   */
  public record Identity(String site, String address, String user, String sessionId, String nas, String since,
                         long updatedMs) {}
}
