package org.schoolgate.e2e.support;

/** The {@code alerts} section the safeguarding tests append to the harness's configuration. */
public final class AlertsConfig {
  private AlertsConfig() {}

  /** Mail through the test SMTP server on {@code smtpPort} (STARTTLS, AUTH filter/s3cret in smtp.pass); a webhook when given. */
  public static String section(int smtpPort, String webhookUrl) {
    return "alerts:\n"
        + "  to: [dsl@school.example]\n"
        + "  from: filter@school.example\n"
        + "  smtp: {host: 127.0.0.1, port: " + smtpPort + ", starttls: true, username: filter, password_file: smtp.pass}\n"
        + (webhookUrl == null ? "" : "  webhook: " + webhookUrl + "\n")
        + "  on: [supervised, report, category]\n"
        + "  categories: [social]\n"
        + "  digest: 15m\n";
  }
}
