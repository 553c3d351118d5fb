package org.schoolgate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.schoolgate.admin.ApiError;
import org.schoolgate.store.StoreUnavailableException;

/** The one table from a failure to its answer, which the API (as JSON) and the console (as a page) both send. */
class FailuresTest {
  @Test
  void aRefusalIsItsOwnStatusSentenceAndRetryAfter() {
    Failures.Answer a = Failures.answer(new ApiError(503, "Too many sign-ins", 2), "POST", "/login");
    assertEquals(new Failures.Answer(503, "Please try again in a moment", "Too many sign-ins", 2), a);
    assertEquals(404, Failures.answer(new CompletionException(new ApiError(404, "There is no override 7")), "DELETE",
        "/api/overrides/7").status(), "a refusal inside a future's failure is found");
  }

  @Test
  void theDatabaseAwayIs503WithRetryAfterWhereverItIsInTheCauses() {
    Throwable away = new CompletionException(new RuntimeException(new StoreUnavailableException(new SQLException("gone"))));
    Failures.Answer a = Failures.answer(away, "POST", "/blocks");
    assertEquals(503, a.status());
    assertEquals(30, a.retryAfterSeconds());
    assertTrue(a.sentence().contains("nothing was changed") && a.sentence().contains("Filtering goes on"), a.sentence());
    assertEquals("Changes cannot be saved right now", a.headline());
  }

  @Test
  void anythingElseIsAFaultOf500() {
    Failures.Answer a = Failures.answer(new IllegalStateException("a bug"), "GET", "/blocks");
    assertEquals(Failures.FAULT, a);
    assertEquals(500, a.status());
    assertEquals(0, a.retryAfterSeconds());
  }
}
