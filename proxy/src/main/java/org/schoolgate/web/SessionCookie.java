package org.schoolgate.web;

/**
 * The console's session cookie as {@code Set-Cookie} says it: HttpOnly, SameSite=Strict, for the
 * whole console, and {@code Secure} when the admin listener serves TLS.
 */
record SessionCookie(boolean secure) {
  /** The cookie naming session {@code s}, for as long as the session may last. */
  String of(Sessions sessions, Sessions.Session s) {
    return value(s.id, sessions.cookieMaxAge(s));
  }

  /** The cookie that ends the browser's session. */
  String cleared() {
    return value("", 0);
  }

  private String value(String value, long maxAgeSeconds) {
    return Sessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
        + (secure ? "; Secure" : "");
  }
}
