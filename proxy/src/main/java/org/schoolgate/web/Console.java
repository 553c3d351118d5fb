package org.schoolgate.web;

import org.schoolgate.admin.ApiError;
import org.schoolgate.rules.AdminService;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.console.Templates;
import org.schoolgate.console.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console (SPEC section 8): sign-in and sign-out, the session cookie, the CSRF check on
 * every form, and the dispatch of each page and form to {@link ConsolePages}. Runs on the admin
 * worker threads (never an event loop); what it changes goes through the same
 * {@link AdminService} and {@link Supervision} as the API.
 *
 * <p>Every form posts back here and is answered with a redirect (303) to a page, which shows
 * what happened: a reload never repeats a change, and the pages work with no script at all.
 */
final class Console {
  private static final Logger log = LoggerFactory.getLogger(Console.class);

  private final Auth auth;
  private final Sessions sessions;
  private final ConsolePages pages;
  private final boolean secureCookie;
  private final PasswordPage password;

  /** @param secureCookie mark the cookie {@code Secure} (when the admin listener serves TLS) */
  Console(Auth auth, Sessions sessions, ConsolePages pages, boolean secureCookie, AdminService service) {
    this.password = new PasswordPage(auth, sessions, service);
    this.auth = auth;
    this.sessions = sessions;
    this.pages = pages;
    this.secureCookie = secureCookie;
  }

  /** The session a request's cookie names, or null: for the API, which takes the same cookie. */
  Sessions.Session session(String cookieHeader) {
    return sessions.find(sessionId(cookieHeader), auth::stillValid);
  }

  Reply handle(HttpMethod method, QueryStringDecoder uri, String body, String cookieHeader, InetAddress from) {
    try {
      return withSecurityHeaders(route(method, uri, body, cookieHeader, from));
    } catch (RuntimeException e) {
      if (DatabaseAway.is(e)) {
        return withSecurityHeaders(DatabaseAway.page(message(503, DatabaseAway.HEADLINE, DatabaseAway.SENTENCE)));
      }
      log.error("console request {} {} failed", method, uri.path(), e);
      return withSecurityHeaders(message(500, "Something went wrong",
          "Something went wrong on the server. The network manager can see what in schoolgate's log."));
    }
  }

  private Reply route(HttpMethod method, QueryStringDecoder uri, String body, String cookieHeader, InetAddress from) {
    String path = uri.path();
    boolean post = method.equals(HttpMethod.POST);
    if (!post && !method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      return message(405, "Not here", "The console takes pages (GET) and forms (POST) only.");
    }
    Map<String, List<String>> form = post ? new QueryStringDecoder(body == null ? "" : body, false).parameters() : Map.of();
    if (post && path.equals("/login")) {
      return signIn(first(form, "username"), first(form, "password"), first(form, "next"), from);
    }
    Sessions.Session s = session(cookieHeader);
    if (s == null) {
      if (post) {
        return Reply.redirect("/");
      }
      return signInPage(200, uri.uri().equals("/") ? null : uri.uri(), null);
    }
    if (post && !s.csrfMatches(first(form, "_csrf"))) {
      return message(403, "This form has expired",
          "Nothing was changed: the form was not sent from this console's own page (or it is too old). "
              + "Go back, reload the page and try again.");
    }
    if (post && path.equals("/logout")) {
      sessions.end(s);
      return Reply.redirect("/").header("Set-Cookie", cookie("", 0));
    }
    if (post && path.equals("/password")) {
      Sessions.Session next = password.change(s, form, from);
      return next == null ? Reply.redirect("/").header("Set-Cookie", cookie("", 0))
          : next == s ? Reply.redirect("/password") : Reply.redirect("/password").header("Set-Cookie", cookie(next.id, sessions.cookieMaxAge(next)));
    }
    ConsolePages.Page page = post ? pages.act(path, form, s) : path.equals("/password") ? password.show() : pages.show(path, uri, s);
    if (page == null) {
      return message(404, "There is no such page", "There is nothing at " + path + " in the console.");
    }
    if (page.redirect() != null) {
      return Reply.redirect(page.redirect());
    }
    Map<String, Object> params = new HashMap<>(page.params());
    params.put("v", new View(page.title(), page.nav(), s.who.name(), s.who.role(), s.csrf, s.takeFlash(), s.flashIsError));
    return Reply.html(page.status(), Templates.render(page.template(), params));
  }

  private Reply signIn(String name, String password, String next, InetAddress from) {
    Auth.Principal who;
    try {
      who = auth.signIn(name, password, from);
    } catch (ApiError e) {
      Reply r = signInPage(e.status(), next, e.getMessage());
      if (e.retryAfterSeconds() > 0) {
        r.header("Retry-After", Long.toString(e.retryAfterSeconds()));
      }
      return r;
    }
    Sessions.Session s = sessions.start(who);
    return Reply.redirect(safeNext(next)).header("Set-Cookie", cookie(s.id, sessions.cookieMaxAge(s)));
  }

  private Reply signInPage(int status, String next, String error) {
    Map<String, Object> params = new HashMap<>();
    params.put("next", next == null ? "" : safeNext(next));
    params.put("error", error);
    return Reply.html(status, Templates.render("login.jte", params));
  }

  /** A page with a headline and one sentence (errors, refusals). */
  private Reply message(int status, String headline, String sentence) {
    Map<String, Object> params = new HashMap<>();
    params.put("headline", headline);
    params.put("sentence", sentence);
    return Reply.html(status, Templates.render("message.jte", params));
  }

  private String cookie(String value, long maxAgeSeconds) {
    return Sessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
        + (secureCookie ? "; Secure" : "");
  }

  private static Reply withSecurityHeaders(Reply r) {
    return r.header("Content-Security-Policy", Reply.CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "same-origin")
        .header("X-Frame-Options", "DENY");
  }

  /** Where to go after signing in: a path of this console only (never another site, never {@code //host}). */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
        || next.chars().anyMatch(c -> c < 0x21 || c == '\\')) {
      return "/";
    }
    return next;
  }

  private static String sessionId(String cookieHeader) {
    if (cookieHeader == null) {
      return null;
    }
    for (Cookie c : ServerCookieDecoder.STRICT.decode(cookieHeader)) {
      if (c.name().equals(Sessions.COOKIE)) {
        return c.value();
      }
    }
    return null;
  }

  static String first(Map<String, List<String>> form, String name) {
    List<String> v = form.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The value of a future the page needs, its refusal ({@link ApiError}) rethrown as itself. */
  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
