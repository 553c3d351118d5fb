package org.schoolgate.web;

import static org.schoolgate.web.Console.first;

import org.schoolgate.admin.ApiError;
import org.schoolgate.cli.UserCommands;
import org.schoolgate.rules.AdminChanges;
import org.schoolgate.rules.AdminService;
import org.schoolgate.rules.NewPassword;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.schoolgate.store.Rows;

/**
 * The console's "Change my password" (issue 21.3): the current password (checked, and throttled,
 * as a sign-in), the new one twice, {@value UserCommands#MIN_PASSWORD} to {@value NewPassword#MAX}
 * characters. The change ends every session of the account, on every browser; the one that made
 * it is replaced by a new session, so the person stays signed in where they are.
 */
final class PasswordPage {
  private final Auth auth;
  private final Sessions sessions;
  private final AdminService service;

  PasswordPage(Auth auth, Sessions sessions, AdminService service) {
    this.auth = auth;
    this.sessions = sessions;
    this.service = service;
  }

  ConsolePages.Page show() {
    return ConsolePages.Page.of("password.jte", "Change my password", "password",
        Map.of("min", UserCommands.MIN_PASSWORD, "max", NewPassword.MAX));
  }

  /** The session to carry on with: a new one when the password changed, else {@code s} with a message saying why not. */
  Sessions.Session change(Sessions.Session s, Map<String, List<String>> form, InetAddress from) {
    String current = first(form, "current");
    String fresh = first(form, "new");
    String again = first(form, "again");
    String problem = fresh == null || fresh.length() < UserCommands.MIN_PASSWORD
        ? "A new password is at least " + UserCommands.MIN_PASSWORD + " characters long; nothing was changed."
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
    Rows.User changed = Console.await(service.changes().change(ops -> new AdminChanges.Outcome<>(
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
