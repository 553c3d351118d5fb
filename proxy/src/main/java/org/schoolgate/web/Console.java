package org.schoolgate.web;

import static org.schoolgate.web.Forms.first;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.schoolgate.admin.ApiError;
import org.schoolgate.console.Templates;
import org.schoolgate.console.View;
import org.schoolgate.console.templates.JteloginGenerated;
import org.schoolgate.console.templates.JtemessageGenerated;

/**
 * The web console (SPEC section 8): sign-in, the session cookie and the CSRF check on every form,
 * then the page or form's route in the listener's one {@link RouteTable} (with the roles that may
 * use it), and a failure's answer from {@link Failures}. Runs on the admin worker threads (never
 * an event loop); what it changes goes through the same features as the API.
 *
 * <p>Every form posts back here and is answered with a redirect (303) to a page, which shows
 * what happened: a reload never repeats a change, and the pages work with no script at all.
 */
final class Console {
  private final Auth auth;
  private final Sessions sessions;
  private final RouteTable routes;
  private final SessionCookie cookie;

  Console(Auth auth, Sessions sessions, RouteTable routes, SessionCookie cookie) {
    this.auth = auth;
    this.sessions = sessions;
    this.routes = routes;
    this.cookie = cookie;
  }

  /** The session a request's cookie names, or null: for the API, which takes the same cookie. */
  Sessions.Session session(String cookieHeader) {
    return sessions.find(sessionId(cookieHeader), auth::stillValid);
  }

  Reply handle(HttpMethod method, QueryStringDecoder uri, String body, String cookieHeader, InetAddress from) {
    try {
      return withSecurityHeaders(route(method, uri, body, cookieHeader, from));
    } catch (RuntimeException e) {
      Failures.Answer a = Failures.answer(e, method.name(), uri.path());
      Reply r = message(a.status(), a.headline(), a.sentence());
      if (a.retryAfterSeconds() > 0) {
        r.header("Retry-After", Long.toString(a.retryAfterSeconds()));
      }
      return withSecurityHeaders(r);
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
      return signInPage(200, uri.uri().equals("/") ? null : uri.uri(), null, null);
    }
    if (post && !s.csrfMatches(first(form, "_csrf"))) {
      return message(403, "This form has expired",
          "Nothing was changed: the form was not sent from this console's own page (or it is too old). "
              + "Go back, reload the page and try again.");
    }
    Page page = routes.page(method, uri, body, s, form, from);
    if (page == null) {
      return message(404, "There is no such page", "There is nothing at " + path + " in the console.");
    }
    if (page.redirect() != null) {
      Reply r = Reply.redirect(page.redirect());
      return page.cookie() == null ? r : r.header("Set-Cookie", page.cookie());
    }
    View v = new View(page.title(), page.nav(), s.who.name(), s.who.role(), s.csrf, s.takeFlash(), s.flashIsError,
        s.takeForm(path));
    return Reply.html(page.status(), Templates.render(out -> page.body().render(out, v)));
  }

  private Reply signIn(String name, String password, String next, InetAddress from) {
    Auth.Principal who;
    try {
      who = auth.signIn(name, password, from);
    } catch (ApiError e) {
      Reply r = signInPage(e.status(), next, e.getMessage(), name);
      if (e.retryAfterSeconds() > 0) {
        r.header("Retry-After", Long.toString(e.retryAfterSeconds()));
      }
      return r;
    }
    Sessions.Session s = sessions.start(who);
    return Reply.redirect(safeNext(next)).header("Set-Cookie", cookie.of(sessions, s));
  }

  /** The sign-in page; after a refusal, the name typed stays (issue 24 item 7), bounded as the field is. */
  private Reply signInPage(int status, String next, String error, String name) {
    String after = next == null ? "" : safeNext(next);
    String typed = name == null ? "" : name.length() > 64 ? name.substring(0, 64) : name;
    return Reply.html(status, Templates.render(out -> JteloginGenerated.render(out, null, after, error, typed)));
  }

  /** A page with a headline and one sentence (errors, refusals). */
  private Reply message(int status, String headline, String sentence) {
    return Reply.html(status, Templates.render(out -> JtemessageGenerated.render(out, null, headline, sentence)));
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
}
