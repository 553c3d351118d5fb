package org.schoolgate.web;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.schoolgate.web.Forms.await;
import static org.schoolgate.web.Forms.first;
import static org.schoolgate.web.Forms.param;

import io.netty.handler.codec.http.QueryStringEncoder;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.admin.Bounds;
import org.schoolgate.console.Items;
import org.schoolgate.console.templates.JteaccountsGenerated;
import org.schoolgate.console.templates.JteconfirmGenerated;
import org.schoolgate.rules.NewPassword;
import org.schoolgate.rules.Roles;
import org.schoolgate.rules.StaffAccounts;
import org.schoolgate.store.Rows;

/**
 * "Staff accounts" (issue 24 item 9): the accounts that may sign in, a page at a time; add one
 * (a one-time password shown once, or one the head sets), change its role, remove it after a
 * confirmation with a reason. The rules are {@link StaffAccounts}'.
 */
final class AccountPages {
  private final StaffAccounts accounts;
  private final PageWords words;

  AccountPages(StaffAccounts accounts, PageWords words) {
    this.accounts = accounts;
    this.words = words;
  }

  void addTo(RouteTable.Builder b) {
    b.page(GET, "/accounts", Roles.MANAGERS, this::list)
        .page(POST, "/accounts", Roles.MANAGERS, this::add)
        .page(POST, "/accounts/role", Roles.MANAGERS, this::role)
        .page(GET, "/accounts/remove", Roles.MANAGERS, this::confirmRemove)
        .page(POST, "/accounts/remove", Roles.MANAGERS, this::remove);
  }

  /** A role in a headteacher's words. */
  static String roleWords(String role) {
    return switch (role) {
      case "head" -> "headteacher";
      case "netmgr" -> "network manager";
      default -> "staff";
    };
  }

  private static List<Items.Choice> roles(String selected) {
    return List.of(new Items.Choice("staff", roleWords("staff"), "staff".equals(selected)),
        new Items.Choice("netmgr", roleWords("netmgr"), "netmgr".equals(selected)),
        new Items.Choice("head", roleWords("head"), "head".equals(selected)));
  }

  private Page list(RouteTable.Request r) {
    Pager.Slice<Rows.User> slice = Pager.slice(r.uri(), await(accounts.list()));
    List<Items.Account> rows = new ArrayList<>();
    for (Rows.User u : slice.rows()) {
      rows.add(new Items.Account(u.name(), roleWords(u.role()), words.when(u.createdAt()), roles(u.role()),
          u.name().equals(r.user())));
    }
    return Page.of("Staff accounts", "accounts",
        (out, v) -> JteaccountsGenerated.render(out, null, v, rows, roles("staff"), slice.paging()));
  }

  private Page add(RouteTable.Request r) {
    return Actions.form(r, "/accounts", "name", "/accounts", () -> {
      String name = Invalid.required(r.form(), "name", "Please give the new account a name, like j.smith.");
      String role = Invalid.required(r.form(), "role", "Please choose a role.");
      String password = first(r.form(), "password");
      if (password != null && !password.isEmpty() && password.length() < NewPassword.MIN) {
        throw new Invalid("password", "A password is at least " + NewPassword.MIN + " characters; leave it empty to have one made.");
      }
      StaffAccounts.Added added = await(accounts.add(r.user(), r.who().role(), name, role, password));
      String who = added.user().name() + " (" + roleWords(added.user().role()) + ")";
      return added.oneTimePassword() == null ? "Added " + who + " with the password you chose."
          : "Added " + who + ". Their one-time password is " + added.oneTimePassword()
              + " \u2014 it is shown only this once: give it to them, and ask them to change it (Change my password).";
    });
  }

  private Page role(RouteTable.Request r) {
    return Actions.done(r, "/accounts", () -> {
      String name = first(r.form(), "name");
      String role = first(r.form(), "role");
      boolean changed = await(accounts.changeRole(r.user(), r.who().role(), name == null ? "" : name, role));
      return changed ? name + " is now " + roleWords(role) + "; any sign-in of theirs has ended." : name + " was already " + roleWords(role) + ".";
    });
  }

  private Page confirmRemove(RouteTable.Request r) {
    String name = param(r.uri(), "name");
    Rows.User u = name == null ? null : await(accounts.get(name));
    if (u == null) {
      return Page.problem(404, "There is no such account", "It may have been removed already.");
    }
    String sentence = u.name() + " (" + roleWords(u.role()) + ") will no longer be able to sign in, and is signed out now."
        + " What they did stays in the audit trail.";
    List<Items.Choice> hidden = List.of(new Items.Choice("name", u.name(), false));
    return Page.of("Remove the account " + u.name() + "?", "accounts", (out, v) -> JteconfirmGenerated.render(out, null, v,
        "/accounts/remove", hidden, sentence, "Yes, remove the account", "/accounts"));
  }

  private Page remove(RouteTable.Request r) {
    String name = first(r.form(), "name");
    QueryStringEncoder back = new QueryStringEncoder("/accounts/remove");
    back.addParam("name", name == null ? "" : name);
    return Actions.form(r, back.toString(), "reason", "/accounts", () -> {
      String why = Invalid.of("reason", () -> Bounds.reason(first(r.form(), "reason")));
      return await(accounts.remove(r.user(), r.who().role(), name == null ? "" : name, why))
          ? name + "'s account has been removed." : "There was no account called " + name + ".";
    });
  }
}
