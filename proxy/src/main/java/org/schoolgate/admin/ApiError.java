package org.schoolgate.admin;

/** A refusal with its HTTP status and a message a headteacher understands; sent as {@code {"error": "..."}}. */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final long retryAfterSeconds;

  public ApiError(int status, String message) {
    this(status, message, 0);
  }

  /** A refusal that may be tried again after {@code retryAfterSeconds} (sent as {@code Retry-After}). */
  public ApiError(int status, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  /** Seconds to wait before trying again, or 0 when the refusal does not say. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
