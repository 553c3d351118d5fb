package org.schoolgate.console;

import java.util.List;
import java.util.Map;

/**
 * What a console form was sent with and what was wrong with it (issue 24 item 7), kept for the
 * page the form goes back to: the page fills its fields from {@link #value}, {@link #ticked} and
 * {@link #chosen}, the layout shows the error summary at the top (each message a link to its
 * field by id) and {@code fielderror.jte} shows a field's message next to it, the GOV.UK way.
 * A page shown fresh has {@link #EMPTY}.
 *
 * @param values the form's fields as sent (the CSRF token left out)
 * @param errors what was wrong, in the order the fields come on the page
 */
public record FormState(Map<String, List<String>> values, List<FieldError> errors) {
  /** A field's id on the page (the form's input) and a sentence saying what is wrong with it. */
  public record FieldError(String field, String message) {}

  public static final FormState EMPTY = new FormState(Map.of(), List.of());

  public FormState {
    values = Map.copyOf(values);
    errors = List.copyOf(errors);
  }

  /** The field's first value as sent, or "" (never null, so a template can put it in {@code value=}). */
  public String value(String name) {
    List<String> v = values.get(name);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  /** The field's value as sent, or {@code otherwise} when the form was not sent back. */
  public String valueOr(String name, String otherwise) {
    return values.isEmpty() ? otherwise : value(name);
  }

  /** Whether the checkbox {@code name} with {@code value} was ticked. */
  public boolean ticked(String name, String value) {
    List<String> v = values.get(name);
    return v != null && v.contains(value);
  }

  /** Whether the radio button or option {@code value} of {@code name} is chosen: as sent, else {@code otherwise}. */
  public boolean chosen(String name, String value, boolean otherwise) {
    return values.containsKey(name) ? ticked(name, value) : otherwise;
  }

  /** The message for {@code field}, or null. */
  public String error(String field) {
    for (FieldError e : errors) {
      if (e.field().equals(field)) {
        return e.message();
      }
    }
    return null;
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }
}
