package org.schoolgate.web;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the console answers: a status, a content type and body, and headers (a redirect's Location, a cookie). */
record Reply(int status, String type, String body, Map<String, String> headers) {
  static final String HTML = "text/html; charset=utf-8";

  /**
   * Only the console's own origin, for everything: no inline script or style (the pages have
   * none), no framing, forms post only here.
   */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

  static Reply html(int status, String body) {
    return new Reply(status, HTML, body, new LinkedHashMap<>());
  }

  /** 303 See Other: after a form is handled, the browser fetches the page again (a reload never repeats the change). */
  static Reply redirect(String location) {
    Reply r = new Reply(303, HTML, "", new LinkedHashMap<>());
    r.headers().put("Location", location);
    return r;
  }

  Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
