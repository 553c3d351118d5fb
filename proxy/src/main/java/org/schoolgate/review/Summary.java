package org.schoolgate.review;

import java.util.ArrayList;
import java.util.List;
import org.schoolgate.config.Config;
import org.schoolgate.store.Store;

/**
 * The annual review's summary for governors (issue 24.5), in sentences, first on the page: how much
 * was blocked, what changed, the reports and how they were decided, the alerts, the devices supervised.
 */
final class Summary {
  private Summary() {}

  static List<String> of(Store.Ops ops, String fromTs, String untilTs, long blocked, long background, long changes,
                         long alerts, boolean moreAlerts, long supervised) {
    List<String> out = new ArrayList<>();
    out.add(count(blocked, "visit to a blocked site was", "visits to blocked sites were") + " stopped"
        + (background == 0 ? "." : " (and " + background + " by the background traffic of browsers and operating systems,"
        + " such as updates, not counted among the most blocked)."));
    out.add(changes == 0 ? "Nobody changed the filter's rules." : count(changes, "change was", "changes were")
        + " made to the filter, each with who made it and why (section 2).");
    long approved = reports(ops, "approved", fromTs, untilTs);
    long dismissed = reports(ops, "dismissed", fromTs, untilTs);
    long open = reports(ops, "open", fromTs, untilTs);
    long all = approved + dismissed + open;
    out.add(all == 0 ? "Staff reported no sites." : "Staff reported " + count(all, "site", "sites") + ": " + approved
        + " agreed with and acted on, " + dismissed + " not taken up" + (open == 0 ? "" : ", " + open + " still waiting") + ".");
    out.add(alerts == 0 ? "No alerts were sent to the designated safeguarding lead."
        : (moreAlerts ? "More than " + (alerts - 1) + " alerts were" : count(alerts, "alert was", "alerts were"))
        + " raised for the designated safeguarding lead.");
    out.add(supervised == 0 ? "No device was put under supervision."
        : count(supervised, "time a device was", "times a device was") + " put under supervision.");
    return out;
  }

  /** A group's safe search and YouTube setting in words. */
  static String searchAndVideo(Config.GroupRules g) {
    String search = g.safeSearch() ? "Safe search is enforced on the search engines" : "Safe search is not enforced";
    String video = switch (g.youtube()) {
      case STRICT -> "YouTube is in its strict restricted mode";
      case MODERATE -> "YouTube is in its moderate restricted mode";
      case OFF -> "YouTube is not restricted";
    };
    return search + "; " + video + ".";
  }

  private static long reports(Store.Ops ops, String status, String fromTs, String untilTs) {
    return ops.reports().count(new Store.ReportQuery(status, null, null, 0, Store.ReportQuery.MOST, fromTs, untilTs));
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
