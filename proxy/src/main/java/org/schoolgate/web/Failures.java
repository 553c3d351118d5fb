package org.schoolgate.web;

import java.util.List;
import java.util.function.Function;
import org.schoolgate.admin.ApiError;
import org.schoolgate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table from a failure to its answer, for the API and the console alike (after Styx's
 * exception-mapping table): a refusal ({@link ApiError}) is its own status and sentence; the
 * trust's database being away (SPEC 12) is 503 with {@code Retry-After}, saying that nothing was
 * changed and filtering goes on, never the 500 of a fault; anything else is 500, logged here once.
 * The API sends the answer as {@code {"error": "..."}}, the console as a page for a person.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  /** What a failure answers: its status, a headline for a page, the sentence, and {@code Retry-After} (0: none). */
  record Answer(int status, String headline, String sentence, long retryAfterSeconds) {}

  static final long RETRY_AFTER_SECONDS = 30;
  static final Answer DATABASE_AWAY = new Answer(503, "Changes cannot be saved right now",
      "The trust's database cannot be reached just now, so nothing was changed. Filtering goes on with the rules "
          + "already in force; please try again in a minute.", RETRY_AFTER_SECONDS);
  static final Answer FAULT = new Answer(500, "Something went wrong",
      "Something went wrong on the server; the network manager can see it in the log", 0);

  private record Row<T extends Throwable>(Class<T> type, Function<T, Answer> answer) {
    Answer of(Throwable t) {
      return type.isInstance(t) ? answer.apply(type.cast(t)) : null;
    }
  }

  /** Tried in order, each on the failure and then on what caused it; the first row that takes it answers. */
  private static final List<Row<?>> TABLE = List.of(
      new Row<>(ApiError.class, e -> new Answer(e.status(), headline(e.status()), e.getMessage(), e.retryAfterSeconds())),
      new Row<>(StoreUnavailableException.class, e -> DATABASE_AWAY));

  private Failures() {}

  /** The answer to {@code failure}, raised while answering {@code method path}; a fault is logged (once, here). */
  static Answer answer(Throwable failure, String method, String path) {
    for (Row<?> row : TABLE) {
      for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
        Answer a = row.of(t);
        if (a != null) {
          return a;
        }
      }
    }
    log.error("admin request {} {} failed", method, path, failure);
    return FAULT;
  }

  private static String headline(int status) {
    return switch (status) {
      case 403 -> "Not for this account";
      case 404 -> "There is no such page";
      case 503 -> "Please try again in a moment";
      default -> "That cannot be done";
    };
  }
}
