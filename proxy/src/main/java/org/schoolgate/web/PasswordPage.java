package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.schoolgate.web.Forms.first;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.schoolgate.admin.ApiError;
import org.schoolgate.console.templates.JtepasswordGenerated;
import org.schoolgate.rules.AdminChanges;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.NewPassword;
import org.schoolgate.rules.Roles;
import org.schoolgate.store.Rows;

/**
 * The console's "Change my password" (issue 21.3): the current password (checked, and throttled,
 * as a sign-in), the new one twice, {@value NewPassword#MIN} to {@value NewPassword#MAX}
 * characters. The change ends every session of the account, on every browser; the one that made
 * it is replaced by a new session, so the person stays signed in where they are.
 */
final class PasswordPage {
  private final Auth auth;
  private final Sessions sessions;
  private final AdminService service;
  private final SessionCookie cookie;

  PasswordPage(Auth auth, Sessions sessions, AdminService service, SessionCookie cookie) {
    this.auth = auth;
    this.sessions = sessions;
    this.service = service;
    this.cookie = cookie;
  }

  /** The account's own routes, for every role: change my password, and sign out. */
  void addTo(RouteTable.Builder b) {
    b.page(GET, "/password", Roles.ALL, r -> show())
        .page(POST, "/password", Roles.ALL, this::change)
        .page(POST, "/logout", Roles.ALL, this::signOut);
  }

  private Page signOut(RouteTable.Request r) {
    sessions.end(r.session());
    return Page.redirect("/").withCookie(cookie.cleared());
  }

  private Page change(RouteTable.Request r) {
    Sessions.Session s = r.session();
    Sessions.Session next = change(s, r.form(), r.from());
    return next == null ? Page.redirect("/").withCookie(cookie.cleared())
        : next == s ? Page.redirect("/password") : Page.redirect("/password").withCookie(cookie.of(sessions, next));
  }

  Page show() {
    return Page.of("Change my password", "password",
        (out, v) -> JtepasswordGenerated.render(out, null, v, NewPassword.MIN, NewPassword.MAX));
  }

  /** The session to carry on with: a new one when the password changed, else {@code s} with a message saying why not. */
  private Sessions.Session change(Sessions.Session s, Map<String, List<String>> form, InetAddress from) {
    String current = first(form, "current");
    String fresh = first(form, "new");
    String again = first(form, "again");
    String problem = fresh == null || fresh.length() < NewPassword.MIN
        ? "A new password is at least " + NewPassword.MIN + " characters long; nothing was changed."
        : fresh.length() > NewPassword.MAX ? "A new password is at most " + NewPassword.MAX + " characters long; nothing was changed."
        : !fresh.equals(again) ? "The two new passwords are not the same; nothing was changed." : null;
    if (problem == null) {
      try {
        auth.signIn(s.who.name(), current == null || current.length() > NewPassword.MAX ? "" : current, from);
      } catch (ApiError e) {
        problem = e.status() == 401 ? "Your current password is not right; nothing was changed." : e.getMessage();
      }
    }
    if (problem != null) {
      s.flash(problem, true);
      return s;
    }
    byte[][] derived = NewPassword.derive(fresh.toCharArray());
    String name = s.who.name();
    Rows.User changed = Forms.await(service.changes().change(ops -> new AdminChanges.Outcome<>(
        NewPassword.put(ops, name, derived[0], derived[1]),
        service.changes().audit(name, NewPassword.ACTION, name, NewPassword.REASON), null)));
    sessions.endAll(name);
    if (changed == null) {
      return null; // the account was removed meanwhile
    }
    Sessions.Session next = sessions.start(new Auth.Principal(name, changed.role(), Auth.stampOf(changed)));
    next.flash("Your password is changed. Every other session signed in as " + name + " has ended.", false);
    return next;
  }
}
