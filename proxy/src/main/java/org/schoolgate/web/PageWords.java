package org.schoolgate.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.schoolgate.proxy.Categories;
import org.schoolgate.rules.AdminService;

/**
 * What the console's pages say the same way everywhere: a stored time, a device, the categories
 * of a site, the kind of a report, today, all in the school's time zone and by the policy's clock.
 */
final class PageWords {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.UK);

  private final AdminService service;

  /** Whether the store is shared by a trust's schools (PostgreSQL): only then do pages show a school's controls. */
  private final boolean trust;

  PageWords(AdminService service, boolean trust) {
    this.service = service;
    this.trust = trust;
  }

  boolean trust() {
    return trust;
  }

  /** A stored time as the console shows it ("Monday 23 November, 11:00", with the year when it is not this one); text that is not one, as it is. */
  String when(String ts) {
    return org.schoolgate.console.Words.when(ts, zone(), now());
  }

  String time(Instant i) {
    return TIME.format(i.atZone(zone()));
  }

  /** A device as people know it: its name and address, or just its address. */
  String label(String address, String mac) {
    String name = service.names().nameOf(address, mac);
    return name == null ? address : name + " (" + address + ")";
  }

  /** The categories a host is listed in, in plain English. */
  String categoryWords(String host) {
    var lists = service.engine().policy().lists();
    long bits = 0;
    for (String h = host; h != null; h = parent(h)) {
      bits |= lists.categoriesOf(h);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lists.names().size(); i++) { // not bit 63: a subscription's exception, no category
      if ((bits & (1L << i)) != 0) {
        names.add(Categories.plain(lists.name(i)));
      }
    }
    return names.isEmpty() ? "in no category list" : String.join(", ", names);
  }

  private static String parent(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? null : host.substring(dot + 1);
  }

  static String kindWords(String kind) {
    return kind.equals("inappropriate") ? "should be blocked" : "should be allowed";
  }

  /** An end a person may choose for an allowance given now, and how the pages say it. */
  record Until(Instant at, String words) {}

  /**
   * The ends an allowance made now may have, the usual first: the end of this lesson (in one), the
   * end of the school day (before it), one hour from now.
   */
  List<Until> untils() {
    Instant now = now();
    org.schoolgate.values.Timetable timetable = service.engine().policy().config().timetable();
    List<Until> out = new ArrayList<>(3);
    org.schoolgate.values.Timetable.State state = timetable.stateAt(now);
    if (state.period() == org.schoolgate.values.Timetable.Period.LESSON) {
      out.add(new Until(state.until(), "the end of this lesson"));
    }
    Instant dayEnd = LocalDate.ofInstant(now, zone()).atTime(timetable.schoolDay().end()).atZone(zone()).toInstant();
    if (dayEnd.isAfter(now)) {
      out.add(new Until(dayEnd, "the end of the school day"));
    }
    out.add(new Until(now.plusSeconds(3600), "one hour from now"));
    return out;
  }

  Instant now() {
    return service.engine().clock().instant();
  }

  /** Today in the school's time zone, by the policy's clock. */
  LocalDate today() {
    return LocalDate.ofInstant(now(), zone());
  }

  ZoneId zone() {
    return service.engine().policy().config().timezone();
  }
}
