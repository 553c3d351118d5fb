package org.schoolgate.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The web console's sign-ins (SPEC section 8), kept on the server: the cookie holds only a random
 * id (32 bytes from {@link SecureRandom}), never a signed blob, so ending a session is removing
 * it. A session lasts 8 hours at most and ends after 30 minutes without a request. Each holds
 * the CSRF token its pages carry, and one message for the next page ("Blocked example.com").
 *
 * <p>Whether the account still exists with the same role is asked on every use (by the
 * {@code stillValid} test the caller passes), so a removed user is signed out at once, on every
 * console and API request. Sessions live in memory: a restart signs everyone out, which is the
 * safe way round.
 */
final class Sessions {
  static final String COOKIE = "schoolgate_session";
  static final Duration LIFETIME = Duration.ofHours(8);
  static final Duration IDLE = Duration.ofMinutes(30);
  /** More live sessions than this (a script signing in in a loop) end the oldest first. */
  private static final int MAX = 10_000;

  /** One signed-in person. {@code flash} is the message the next page shows, then forgets. */
  static final class Session {
    final String id;
    final Auth.Principal who;
    final String csrf;
    final Instant started;
    volatile Instant lastSeen;
    volatile String flash;
    volatile boolean flashIsError;
    /** A form sent back with what was wrong with it, for the page at {@code formPath} (issue 24 item 7). */
    private volatile org.schoolgate.console.FormState form;
    private volatile String formPath;

    private Session(String id, Auth.Principal who, String csrf, Instant started) {
      this.id = id;
      this.who = who;
      this.csrf = csrf;
      this.started = started;
      this.lastSeen = started;
    }

    void flash(String message, boolean error) {
      this.flashIsError = error;
      this.flash = message;
    }

    /** Keeps what a form was sent with, and what was wrong, for the next showing of the page at {@code path}. */
    void keepForm(String path, org.schoolgate.console.FormState state) {
      this.form = state;
      this.formPath = path;
    }

    /** The form kept for the page at {@code path}, once; {@link org.schoolgate.console.FormState#EMPTY} otherwise. */
    org.schoolgate.console.FormState takeForm(String path) {
      org.schoolgate.console.FormState f = form;
      if (f == null || !path.equals(formPath)) {
        return org.schoolgate.console.FormState.EMPTY;
      }
      form = null;
      return f;
    }

    /** The message for this page, once. */
    String takeFlash() {
      String f = flash;
      flash = null;
      return f;
    }

    boolean csrfMatches(String presented) {
      return presented != null && MessageDigest.isEqual(csrf.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          presented.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private final Map<String, Session> live = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  Sessions(Clock clock) {
    this.clock = clock;
  }

  Session start(Auth.Principal who) {
    Instant now = clock.instant();
    if (live.size() >= MAX) {
      live.values().removeIf(s -> expired(s, now));
      if (live.size() >= MAX) {
        live.values().stream().min(java.util.Comparator.comparing(s -> s.lastSeen)).ifPresent(s -> live.remove(s.id));
      }
    }
    Session s = new Session(token(), who, token(), now);
    live.put(s.id, s);
    return s;
  }

  /**
   * The live session for the cookie's id, its idle time restarted; null (and the session ended)
   * when there is none, it has run out, or {@code stillValid} says its account has gone or changed.
   */
  Session find(String id, Predicate<Auth.Principal> stillValid) {
    if (id == null) {
      return null;
    }
    Session s = live.get(id);
    if (s == null) {
      return null;
    }
    Instant now = clock.instant();
    if (expired(s, now) || !stillValid.test(s.who)) {
      live.remove(id);
      return null;
    }
    s.lastSeen = now;
    return s;
  }

  void end(Session s) {
    live.remove(s.id);
  }

  /** Ends every session of the account {@code name} (its password changed). */
  void endAll(String name) {
    live.values().removeIf(s -> s.who.name().equals(name));
  }

  int size() {
    return live.size();
  }

  /** Seconds the cookie may be kept by the browser: the rest of the session's 8 hours. */
  long cookieMaxAge(Session s) {
    return Math.max(0, Duration.between(clock.instant(), s.started.plus(LIFETIME)).toSeconds());
  }

  private static boolean expired(Session s, Instant now) {
    return !now.isBefore(s.started.plus(LIFETIME)) || !now.isBefore(s.lastSeen.plus(IDLE));
  }

  private String token() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
