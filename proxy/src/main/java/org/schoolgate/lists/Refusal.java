package org.schoolgate.lists;

/**
 * A download or a copy that is not taken: the last good copy stays in force. {@code reason} is the
 * metric label ({@code status}, {@code too-large}, {@code html}, {@code format}, {@code shrink},
 * {@code network}, {@code timeout}, {@code redirects}); the message is the sentence people read.
 */
public final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;
  public static final java.util.List<String> REASONS = java.util.List.of("status", "too-large", "html", "format", "shrink",
      "network", "timeout", "redirects", "disk");

  private final String reason;

  public Refusal(String reason, String sentence) {
    super(sentence);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
