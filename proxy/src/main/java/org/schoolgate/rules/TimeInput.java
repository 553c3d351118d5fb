package org.schoolgate.rules;

import java.time.Instant;
import java.time.ZoneId;
import org.schoolgate.admin.ApiError;
import org.schoolgate.values.DateBounds;

/** A time as a person, a form or a script gives it, read the same way everywhere (the sibling of {@link AddressInput}). */
public final class TimeInput {
  private TimeInput() {}

  /** ISO-8601 with an offset, or a local date-time in {@code zone}; 400 naming {@code field} otherwise. */
  public static Instant parse(String s, String field, ZoneId zone) {
    Instant at = DateBounds.instant(s, zone);
    if (at == null) {
      throw new ApiError(400, "\"" + field + "\" must be a date and time like 2026-11-23T15:15:00+00:00, from "
          + DateBounds.FIRST_YEAR + " to " + DateBounds.LAST_YEAR);
    }
    return at;
  }
}
