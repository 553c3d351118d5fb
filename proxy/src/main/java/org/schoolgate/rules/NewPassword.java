package org.schoolgate.rules;

import org.schoolgate.store.Passwords;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;

/**
 * A new password for an existing account (issue 21.3), for {@code user passwd} and the console's
 * "Change my password": a new salt and derivation, the role and creation time kept. The new salt
 * is what ends every session signed in with the old password ({@link Auth#stillValid}).
 */
public final class NewPassword {
  public static final String ACTION = "user-passwd";
  public static final String REASON = "new password; every session of the user ended";
  /** Longer than any password a person types; a bound on what one sign-in makes the server hash. */
  public static final int MAX = 1_024;
  /** The shortest password an account may have. */
  public static final int MIN = 8;

  private NewPassword() {}

  /** A fresh salt and its derivation: about a third of a second, so never inside a transaction. */
  public static byte[][] derive(char[] password) {
    byte[] salt = Passwords.newSalt();
    return new byte[][] {salt, Passwords.hash(password, salt, Passwords.ITERATIONS)};
  }

  /** In the caller's transaction: the account with its new password, or null when there is no such account. */
  public static Rows.User put(Store.Ops ops, String name, byte[] salt, byte[] hash) {
    Rows.User old = ops.users().get(name);
    if (old == null) {
      return null;
    }
    Rows.User changed = new Rows.User(name, old.role(), salt, hash, Passwords.ITERATIONS, old.createdAt());
    ops.users().put(changed);
    return changed;
  }
}
