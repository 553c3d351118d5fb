package org.schoolgate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.schoolgate.config.Config;
import org.schoolgate.log.AuditRecord;
import org.schoolgate.log.JsonLogs;
import org.schoolgate.log.Timestamps;
import org.schoolgate.rules.NewPassword;
import org.schoolgate.rules.Roles;
import org.schoolgate.store.Passwords;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;
import org.schoolgate.store.Stores;

/**
 * {@code user add NAME --role ROLE} (password: the first line of standard input),
 * {@code user passwd NAME} (the new password: the first line of standard input; every session
 * of that user ends), {@code user remove NAME}, {@code user list}. Each change is audited like an API change,
 * with the user {@code cli:<operating-system user>}.
 */
public final class UserCommands {

  private UserCommands() {}

  public static int run(Config config, Clock clock, String[] args, BufferedReader stdin, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: user add NAME --role head|netmgr|staff | user passwd NAME | user remove NAME | user list");
      return 2;
    }
    try (Store store = Stores.open(config, false);
         JsonLogs logs = new JsonLogs(config.logDir(), config.logRetentionDays(), config.file().getParent(), config.site())) {
      String actor = "cli:" + System.getProperty("user.name", "unknown");
      switch (args[0]) {
        case "list":
          for (Rows.User u : await(store.users())) {
            out.println(u.name() + "\t" + u.role() + "\t" + u.createdAt());
          }
          return 0;
        case "add": {
          if (args.length != 4 || !args[2].equals("--role")) {
            err.println("usage: user add NAME --role head|netmgr|staff   (the password is read from standard input)");
            return 2;
          }
          String name = args[1];
          String role = args[3];
          if (!org.schoolgate.rules.StaffAccounts.NAME.matcher(name).matches()) {
            err.println("user names are 1-64 letters, digits and . _ @ -");
            return 2;
          }
          if (!Roles.ALL.contains(role)) {
            err.println("\"" + role + "\" is not a role (head, netmgr, staff)");
            return 2;
          }
          String password = stdin.readLine();
          if (password == null || password.length() < NewPassword.MIN) {
            err.println("give a password of at least " + NewPassword.MIN + " characters on the first line of standard input");
            return 2;
          }
          byte[][] derived = NewPassword.derive(password.toCharArray());
          byte[] salt = derived[0];
          byte[] hash = derived[1];
          String ts = Timestamps.format(clock.instant(), config.timezone());
          boolean existed = await(store.transaction(ops -> {
            boolean had = ops.users().get(name) != null;
            ops.users().put(new Rows.User(name, role, salt, hash, Passwords.ITERATIONS, ts));
            ops.audit().append(ts, actor, had ? "user-update" : "user-add", name, "role " + role);
            return had;
          }));
          logs.audit(new AuditRecord(ts, actor, existed ? "user-update" : "user-add", name, "role " + role));
          out.println((existed ? "updated " : "added ") + name + " (" + role + ")");
          return 0;
        }
        case "passwd": {
          if (args.length != 2) {
            err.println("usage: user passwd NAME   (the new password is read from standard input)");
            return 2;
          }
          String name = args[1];
          String password = stdin.readLine();
          if (password == null || password.length() < NewPassword.MIN) {
            err.println("give a password of at least " + NewPassword.MIN + " characters on the first line of standard input");
            return 2;
          }
          String ts = Timestamps.format(clock.instant(), config.timezone());
          byte[][] derived = NewPassword.derive(password.toCharArray());
          byte[] salt = derived[0];
          byte[] hash = derived[1];
          Rows.User changed = await(store.transaction(ops -> {
            Rows.User u = NewPassword.put(ops, name, salt, hash);
            if (u != null) {
              ops.audit().append(ts, actor, NewPassword.ACTION, name, NewPassword.REASON);
            }
            return u;
          }));
          if (changed == null) {
            err.println("there is no user \"" + name + "\"");
            return 2;
          }
          logs.audit(new AuditRecord(ts, actor, NewPassword.ACTION, name, NewPassword.REASON));
          out.println("changed the password of " + name + "; every session signed in as " + name + " has ended");
          return 0;
        }
        case "remove": {
          if (args.length != 2) {
            err.println("usage: user remove NAME");
            return 2;
          }
          String name = args[1];
          String ts = Timestamps.format(clock.instant(), config.timezone());
          boolean removed = await(store.transaction(ops -> {
            boolean r = ops.users().remove(name);
            if (r) {
              ops.audit().append(ts, actor, "user-remove", name, "removed");
            }
            return r;
          }));
          if (!removed) {
            err.println("there is no user \"" + name + "\"");
            return 2;
          }
          logs.audit(new AuditRecord(ts, actor, "user-remove", name, "removed"));
          out.println("removed " + name + " (a running server forgets its signed-in sessions within two minutes)");
          return 0;
        }
        default:
          err.println("unknown user command \"" + args[0] + "\" (add, passwd, remove, list)");
          return 2;
      }
    } catch (IOException | RuntimeException e) {
      err.println("user " + args[0] + " failed: " + e.getMessage());
      return 1;
    }
  }

  /** The result, or the store's own failure (not wrapped), so its message is what the user reads. */
  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }
}
