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

  /**
   * A form that keeps what was typed when it is refused (issue 24 item 7): done, its sentence is
   * shown on {@code after}; refused, the browser goes back to {@code back} (a path and query),
   * which shows the form filled in as it was sent, an error summary at the top and the message
   * next to the field: the {@link Invalid} one, or {@code field} for a refusal not about one field.
   */
  static Page form(RouteTable.Request r, String back, String field, String after, Action action) {
    try {
      r.session().flash(action.run(), false);
      return Page.redirect(after);
    } catch (Invalid e) {
      return sendBack(r, back, e.field, e.getMessage());
    } catch (ApiError e) {
      return sendBack(r, back, field, e.getMessage());
    }
  }

  private static Page sendBack(RouteTable.Request r, String back, String field, String message) {
    java.util.Map<String, java.util.List<String>> values = new java.util.HashMap<>(r.form());
    values.remove("_csrf");
    values.keySet().removeIf(name -> name.contains("password")); // a password is never kept, nor shown again
    int q = back.indexOf('?');
    r.session().keepForm(q < 0 ? back : back.substring(0, q), new org.schoolgate.console.FormState(values,
        java.util.List.of(new org.schoolgate.console.FormState.FieldError(field, message))));
    return Page.redirect(back);
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
