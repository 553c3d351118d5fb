package org.schoolgate.admin;

/** A refusal with its HTTP status and a message a headteacher understands; sent as {@code {"error": "..."}}. */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
