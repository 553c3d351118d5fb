package org.schoolgate.web;

import gg.jte.html.HtmlTemplateOutput;
import org.schoolgate.console.View;
import org.schoolgate.console.templates.JtemessageGenerated;
import org.schoolgate.console.templates.JtenotallowedGenerated;

/**
 * What a console route answers: a page to render (its template called with typed parameters,
 * given the page's {@link View} when it is shown) or, after a form, where to go; a route that
 * signs in again also sets the session cookie ({@code cookie}).
 */
record Page(int status, String title, String nav, Body body, String redirect, String cookie) {
  /** A template's generated {@code render}, called with its typed parameters and the page's view. */
  @FunctionalInterface
  interface Body {
    void render(HtmlTemplateOutput out, View v);
  }

  static Page of(String title, String nav, Body body) {
    return new Page(200, title, nav, body, null, null);
  }

  static Page of(int status, String title, String nav, Body body) {
    return new Page(status, title, nav, body, null, null);
  }

  static Page redirect(String to) {
    return new Page(303, null, null, null, to, null);
  }

  /** This redirect, setting the session cookie to {@code setCookie} on the way. */
  Page withCookie(String setCookie) {
    return new Page(status, title, nav, body, redirect, setCookie);
  }

  /** What a route whose roles do not include the account's answers. */
  static Page notAllowed() {
    return of(403, "Not for this account", "", (out, v) -> JtenotallowedGenerated.render(out, null, v,
        "This page is for the headteacher and the network manager", "Your account can report a site and see your reports."));
  }

  /** A page with a headline and one sentence. */
  static Page problem(int status, String headline, String sentence) {
    return of(status, headline, "", (out, v) -> JtemessageGenerated.render(out, null, headline, sentence));
  }
}
