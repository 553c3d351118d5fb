package org.schoolgate.web;

import java.util.function.Supplier;
import org.schoolgate.admin.ApiError;

/**
 * A console form's field that is wrong (issue 24 item 7): its id on the page and the sentence
 * saying what is wrong, which {@link Actions#form} shows in the error summary and next to it.
 */
final class Invalid extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final String field;

  Invalid(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }

  /** The value {@code check} gives, its refusal ({@link ApiError}) said of {@code field}. */
  static <T> T of(String field, Supplier<T> check) {
    try {
      return check.get();
    } catch (ApiError e) {
      throw new Invalid(field, e.getMessage());
    }
  }

  /** The field's value stripped; {@code message} said of it when it is missing or blank. */
  static String required(java.util.Map<String, java.util.List<String>> form, String field, String message) {
    String v = Forms.first(form, field);
    if (v == null || v.isBlank()) {
      throw new Invalid(field, message);
    }
    return v.strip();
  }
}
