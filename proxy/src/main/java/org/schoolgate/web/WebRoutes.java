package org.schoolgate.web;

import java.time.Clock;
import org.schoolgate.config.Config;
import org.schoolgate.lists.Subscriptions;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.DecisionCheck;
import org.schoolgate.rules.Roles;
import org.schoolgate.safeguarding.Safeguarding;
import org.schoolgate.supervision.Supervision;

/**
 * The admin listener's one route table, assembled from every feature's routes: the API's and the
 * console's pages and forms, each with the roles that may use it. What no route takes is answered
 * by the table's rules for what it does not know ({@link RouteTable}).
 */
final class WebRoutes {
  private WebRoutes() {}

  /** The features the routes call, made once by the composition root. */
  record Features(AdminService service, Supervision supervision, Safeguarding safeguarding, DecisionCheck decisions,
                  Subscriptions subscriptions, org.schoolgate.review.Today today) {}

  static RouteTable table(Features f, Config config, Clock clock, Auth auth, Sessions sessions, SessionCookie cookie) {
    PageWords words = new PageWords(f.service(), config.store().postgresql());
    RouteTable.Builder b = RouteTable.builder(Roles.MANAGERS);
    new AdminRoutes(f.service(), f.supervision(), f.safeguarding(), f.decisions()).addTo(b);
    new ListsPages(f.subscriptions(), config.timezone()).addTo(b);
    ReportPages reports = new ReportPages(f.service(), words);
    new HomePage(f.service(), f.supervision(), reports, words, f.today()).addTo(b);
    reports.addTo(b);
    new RulePages(f.service(), words).addTo(b);
    new CheckPage(f.service(), f.decisions(), words).addTo(b);
    new RefPage(f.service(), new org.schoolgate.log.AccessRefs(config.logDir(), clock, config.timezone()), words).addTo(b);
    new SupervisionPages(f.supervision(), words).addTo(b);
    new SafeguardingPages(f.safeguarding(), config, clock, words).addTo(b);
    IdentityPage.addTo(b, f.service(), words);
    new PasswordPage(auth, sessions, f.service(), cookie).addTo(b);
    new Confirmations(f.service(), f.supervision(), words).addTo(b);
    new DeviceNaming(f.service()).addTo(b);
    new AccountPages(new org.schoolgate.rules.StaffAccounts(f.service()), words).addTo(b);
    return b.build();
  }
}
