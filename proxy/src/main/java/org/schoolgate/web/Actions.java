package org.schoolgate.web;

import org.schoolgate.admin.ApiError;

/**
 * How every console form ends: its action runs, its sentence (or the refusal's) is kept in the
 * session, and the browser is sent back to a page (303), which shows it. A reload never repeats a
 * change. What is not a refusal (the database away, a fault) goes to {@link Failures}.
 */
final class Actions {
  private Actions() {}

  /** What a form does; returns the sentence that says what happened. */
  interface Action {
    String run();
  }

  static Page done(RouteTable.Request r, String page, Action action) {
    try {
      r.session().flash(action.run(), false);
    } catch (ApiError e) {
      r.session().flash(e.getMessage(), true);
    }
    return Page.redirect(page);
  }

  /** An item's number from a form or a path; not a number is no such item. */
  static long number(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException | NullPointerException e) {
      throw new ApiError(404, "There is no such item.");
    }
  }
}
