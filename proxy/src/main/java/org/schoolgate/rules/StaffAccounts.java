package org.schoolgate.rules;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.schoolgate.admin.ApiError;
import org.schoolgate.store.Passwords;
import org.schoolgate.store.Rows;

/**
 * The console's staff accounts (issue 24 item 9): add one (with a password the head sets, or a
 * one-time password made here and shown once), change its role, remove it; the same rules as the
 * {@code user} command (names, roles, passwords of at least {@value NewPassword#MIN} characters),
 * audited as an API change. The last headteacher can be neither removed nor given another role,
 * and only a headteacher may make, change or remove a headteacher's account (a network manager
 * cannot raise anyone to head). An account changed or removed is signed out at once: every
 * session checks its account's role on each request.
 */
public final class StaffAccounts {
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  /** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
  private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AdminService service;

  public StaffAccounts(AdminService service) {
    this.service = service;
  }

  /** The account added, and the one-time password made for it (null when the head gave one). */
  public record Added(Rows.User user, String oneTimePassword) {}

  public CompletableFuture<List<Rows.User>> list() {
    return service.store().users();
  }

  /** The account {@code name}, or null. */
  public CompletableFuture<Rows.User> get(String name) {
    return service.store().user(name);
  }

  /** Adds {@code name} with {@code role}; {@code password} null or blank: a one-time password is made. */
  public CompletableFuture<Added> add(String actor, String actorRole, String name, String role, String password) {
    String n = name(name);
    checkRole(role);
    mayTouch(actorRole, role);
    String made = password == null || password.isEmpty() ? oneTime() : null;
    String pw = made != null ? made : password;
    if (pw.length() < NewPassword.MIN || pw.length() > NewPassword.MAX) {
      throw new ApiError(400, "A password is " + NewPassword.MIN + " to " + NewPassword.MAX + " characters; leave it empty to have one made");
    }
    byte[][] derived = NewPassword.derive(pw.toCharArray()); // slow: outside the transaction
    AdminChanges changes = service.changes();
    return changes.change(ops -> {
      if (ops.users().get(n) != null) {
        throw new ApiError(409, "There is already an account called " + n);
      }
      Rows.User u = new Rows.User(n, role, derived[0], derived[1], Passwords.ITERATIONS, service.now());
      ops.users().put(u);
      return new AdminChanges.Outcome<>(new Added(u, made), changes.audit(actor, "user-add", n, "role " + role), null);
    });
  }

  /** Gives {@code name} the role {@code role}; false when it had it already. */
  public CompletableFuture<Boolean> changeRole(String actor, String actorRole, String name, String role) {
    checkRole(role);
    AdminChanges changes = service.changes();
    return changes.change(ops -> {
      Rows.User u = existing(ops.users().get(name), name);
      if (u.role().equals(role)) {
        return AdminChanges.Outcome.unchanged(false);
      }
      mayTouch(actorRole, u.role());
      mayTouch(actorRole, role);
      if (u.role().equals("head") && lastHead(ops)) {
        throw new ApiError(409, name + " is the only headteacher: make someone else headteacher first");
      }
      ops.users().put(new Rows.User(u.name(), role, u.salt(), u.hash(), u.iterations(), u.createdAt()));
      return new AdminChanges.Outcome<>(true, changes.audit(actor, "user-update", name, "role " + u.role() + " to " + role), null);
    });
  }

  /** Removes {@code name}, with the person's reason in the audit; false when there was no such account. */
  public CompletableFuture<Boolean> remove(String actor, String actorRole, String name, String reason) {
    String why = org.schoolgate.admin.Bounds.reason(reason);
    AdminChanges changes = service.changes();
    return changes.change(ops -> {
      Rows.User u = ops.users().get(name);
      if (u == null) {
        return AdminChanges.Outcome.unchanged(false);
      }
      mayTouch(actorRole, u.role());
      if (u.role().equals("head") && lastHead(ops)) {
        throw new ApiError(409, name + " is the only headteacher, so the account cannot be removed");
      }
      ops.users().remove(name);
      return new AdminChanges.Outcome<>(true, changes.audit(actor, "user-remove", name, why), null);
    });
  }

  private static boolean lastHead(org.schoolgate.store.Store.Ops ops) {
    return ops.users().list().stream().filter(x -> x.role().equals("head")).count() <= 1;
  }

  private static Rows.User existing(Rows.User u, String name) {
    if (u == null) {
      throw new ApiError(404, "There is no account called " + name);
    }
    return u;
  }

  private static String name(String name) {
    String n = name == null ? "" : name.strip();
    if (!NAME.matcher(n).matches()) {
      throw new ApiError(400, "A name is 1 to 64 letters, digits and . _ @ - (no spaces), like j.smith");
    }
    return n;
  }

  private static void checkRole(String role) {
    if (role == null || !Roles.ALL.contains(role)) {
      throw new ApiError(400, "Please choose a role: headteacher, network manager or staff");
    }
  }

  private static void mayTouch(String actorRole, String role) {
    if (role.equals("head") && !actorRole.equals("head")) {
      throw new ApiError(403, "Only a headteacher may make, change or remove a headteacher's account");
    }
  }

  private static String oneTime() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      if (i > 0 && i % 4 == 0) {
        b.append('-');
      }
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
