package org.schoolgate.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.schoolgate.store.Database;
import org.schoolgate.store.Passwords;
import org.schoolgate.store.Rows;
import org.schoolgate.store.Tables;

/**
 * HTTP Basic authentication against the users of {@code user add}. A key derivation costs about
 * a third of a second, so verified credentials are kept (by a hash of the header, never the
 * password) for two minutes; concurrent requests with the same new credentials wait for one
 * derivation. More than 10 failures from one address within a minute answer 429 to it.
 * Runs on the admin worker threads, never on an event loop.
 */
final class Auth {
  record Principal(String name, String role) {}

  static final int MAX_FAILURES = 10;
  private final Database db;
  private final Cache<String, Principal> verified = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(2)).maximumSize(1_000).build();
  private final Cache<InetAddress, AtomicInteger> failures = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(100_000).build();

  Auth(Database db) {
    this.db = db;
  }

  Principal authenticate(String header, InetAddress from) {
    AtomicInteger failed = failures.getIfPresent(from);
    if (failed != null && failed.get() >= MAX_FAILURES) {
      throw new ApiError(429, "Too many failed sign-ins from this address; try again in a minute");
    }
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new ApiError(401, "Please sign in");
    }
    Credentials presented = decode(header.substring(6).trim());
    // The stored row is read on every request (cheap), and is part of the cache key: a removed
    // user, a new password or a new role takes effect at once, not when the cache entry expires.
    Rows.User user = presented == null ? null : db.run(c -> Tables.user(c, presented.name()));
    String key = sha256(header + "|" + (user == null ? "-" : HexFormat.of().formatHex(user.hash()) + user.role()));
    Principal p = verified.get(key, k -> verify(presented, user));
    if (p == null) {
      failures.get(from, a -> new AtomicInteger()).incrementAndGet();
      throw new ApiError(401, "The user name or password is wrong");
    }
    return p;
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
    if (user == null) {
      // Spend the same time as a real check, so timing does not tell which names exist.
      Passwords.hash(password, new byte[16], Passwords.ITERATIONS);
      return null;
    }
    return Passwords.matches(password, user.salt(), user.iterations(), user.hash()) ? new Principal(user.name(), user.role()) : null;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
