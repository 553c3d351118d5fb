package org.schoolgate.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a console route answers: a page to render (template and parameters) or, after a form,
 * where to go; a route that signs in again also sets the session cookie ({@code cookie}).
 */
record Page(int status, String template, String title, String nav, Map<String, Object> params, String redirect,
            String cookie) {
  Page(int status, String template, String title, String nav, Map<String, Object> params, String redirect) {
    this(status, template, title, nav, params, redirect, null);
  }

  static Page of(String template, String title, String nav, Map<String, Object> params) {
    return new Page(200, template, title, nav, params, null);
  }

  static Page redirect(String to) {
    return new Page(303, null, null, null, Map.of(), to);
  }

  /** This redirect, setting the session cookie to {@code setCookie} on the way. */
  Page withCookie(String setCookie) {
    return new Page(status, template, title, nav, params, redirect, setCookie);
  }

  /** What a route whose roles do not include the account's answers. */
  static Page notAllowed() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("headline", "This page is for the headteacher and the network manager");
    p.put("sentence", "Your account can report a site and see your reports.");
    return new Page(403, "notallowed.jte", "Not for this account", "", p, null);
  }

  /** A page with a headline and one sentence, in the console's layout. */
  static Page problem(int status, String headline, String sentence) {
    return new Page(status, "message.jte", headline, "", Map.of("headline", headline, "sentence", sentence), null);
  }
}
