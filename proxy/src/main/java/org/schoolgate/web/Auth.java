package org.schoolgate.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import org.schoolgate.admin.ApiError;
import org.schoolgate.rules.NewPassword;
import org.schoolgate.store.Passwords;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Store;

/**
 * HTTP Basic authentication against the users of {@code user add}. A key derivation costs about
 * a third of a second, so verified credentials are kept (by a hash of the header, never the
 * password) for two minutes; concurrent requests with the same new credentials wait for one
 * derivation. Failed sign-ins are throttled by {@link SignInThrottle} (per account and address,
 * with a looser ceiling per address): a throttled attempt gets 429 before any password is checked,
 * the right one included, so the cache of good credentials is no faster way to guess. Derivations
 * go through {@link HashGate}: one at a time, the rest refused at once with 503.
 * Runs on the admin worker threads, never on an event loop.
 */
final class Auth {
  /**
   * Who is signed in. {@code stamp} names the password they signed in with (the hex of its salt,
   * which every new password replaces): a session whose stamp is no longer the account's ends.
   */
  record Principal(String name, String role, String stamp) {
    Principal(String name, String role) {
      this(name, role, "");
    }
  }

  private final Store store;
  private final SignInThrottle throttle;
  private final HashGate hashing = new HashGate();
  private final Cache<String, Principal> verified = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(2)).maximumSize(1_000).build();

  Auth(Store store, Clock clock) {
    this.store = store;
    this.throttle = new SignInThrottle(clock);
  }

  Principal authenticate(String header, InetAddress from) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new ApiError(401, "Please sign in");
    }
    Credentials presented = decode(header.substring(6).trim());
    String account = presented == null ? "" : presented.name();
    SignInThrottle.Refusal refusal = throttle.check(account, from);
    if (refusal != null) {
      throw tooMany(refusal);
    }
    // The stored row is read on every request (cheap), and is part of the cache key: a removed
    // user, a new password or a new role takes effect at once, not when the cache entry expires.
    Rows.User user = presented == null ? null : store.user(presented.name()).join();
    String key = sha256(header + "|" + (user == null ? "-" : HexFormat.of().formatHex(user.hash()) + user.role()));
    Principal p = verified.get(key, k -> verify(presented, user));
    if (p == null) {
      throttle.failed(account, from);
      throw new ApiError(401, "The user name or password is wrong");
    }
    throttle.succeeded(account, from);
    return p;
  }

  /**
   * A sign-in from the console's form: the same throttle as the API (a failed form counts towards
   * the same 429), the same derivation; never cached.
   */
  Principal signIn(String name, String password, InetAddress from) {
    String account = name == null ? "" : name;
    SignInThrottle.Refusal refusal = throttle.check(account, from);
    if (refusal != null) {
      throw tooMany(refusal);
    }
    Rows.User user = name == null || name.isEmpty() ? null : store.user(name).join();
    Principal p = verify(name == null || password == null ? null : new Credentials(name, password.toCharArray()), user);
    if (p == null) {
      throttle.failed(account, from);
      throw new ApiError(401, "The user name or password is wrong");
    }
    throttle.succeeded(account, from);
    return p;
  }

  /**
   * Whether the account behind a session still exists with the same role and the same password
   * (a removed user, a new role, a new password: every session of theirs ends at once).
   */
  boolean stillValid(Principal p) {
    Rows.User user = store.user(p.name()).join();
    return user != null && user.role().equals(p.role()) && stampOf(user).equals(p.stamp());
  }

  static String stampOf(Rows.User user) {
    return HexFormat.of().formatHex(user.salt());
  }

  private static ApiError tooMany(SignInThrottle.Refusal r) {
    long seconds = Math.max(1, (r.retryAfter().toMillis() + 999) / 1000);
    String when = seconds < 120 ? seconds + (seconds == 1 ? " second" : " seconds") : (seconds + 59) / 60 + " minutes";
    String who = r.wholeAddress() ? "Too many failed sign-ins from this address"
        : r.wholeAccount() ? "Too many wrong passwords for this user from addresses it has not signed in from (it still "
            + "signs in from one it has used before)"
        : "Too many wrong passwords for this user from this address";
    return new ApiError(429, who + "; please wait " + when + " and try again.", seconds);
  }

  private record Credentials(String name, char[] password) {}

  private static Credentials decode(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon <= 0 ? null : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
  }

  private Principal verify(Credentials presented, Rows.User user) {
    if (presented == null) {
      return null;
    }
    char[] password = presented.password();
    if (password.length > NewPassword.MAX) {
      return null; // longer than any password (a bound on what one request makes the server hash)
    }
    if (user == null) {
      // Spend the same time as a real check, so timing does not tell which names exist.
      hashing.run(() -> Passwords.hash(password, new byte[16], Passwords.ITERATIONS));
      return null;
    }
    return hashing.run(() -> Passwords.matches(password, user.salt(), user.iterations(), user.hash()))
        ? new Principal(user.name(), user.role(), stampOf(user)) : null;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
