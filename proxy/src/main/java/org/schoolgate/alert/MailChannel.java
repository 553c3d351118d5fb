package org.schoolgate.alert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import org.schoolgate.config.Config;
import org.schoolgate.store.Rows;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/**
 * Alerts by email through Simple Java Mail (Jakarta Mail / Angus Mail underneath): SMTP with
 * STARTTLS required when {@code starttls} is set, AUTH when a username is. The alert's id is the
 * Message-ID and the {@code X-Schoolgate-Alert} header, so a resent alert (at least once) is
 * recognisably the same one.
 */
final class MailChannel implements Channel {
  static final int TIMEOUT_MILLIS = 15_000;

  private final Mailer mailer;
  private final String from;
  private final List<String> to;

  /** @param tls trusts the mail server's certificate (tests); null for the JDK's trust store */
  MailChannel(Config.Alerts alerts, SSLSocketFactory tls) throws IOException {
    Config.Smtp smtp = alerts.smtp();
    String password = smtp.passwordFile() == null ? null
        : Files.readString(smtp.passwordFile(), StandardCharsets.UTF_8).strip();
    var builder = MailerBuilder.withSMTPServer(smtp.host(), smtp.port(), smtp.username(), password)
        .withTransportStrategy(smtp.starttls() ? TransportStrategy.SMTP_TLS : TransportStrategy.SMTP)
        .withSessionTimeout(TIMEOUT_MILLIS);
    if (tls != null) {
      builder = builder.withCustomSSLFactoryInstance(tls);
    }
    this.mailer = builder.buildMailer();
    this.from = alerts.from();
    this.to = alerts.to();
  }

  @Override
  public void send(Rows.Alert a, ZoneId zone) {
    Email email = EmailBuilder.startingBlank()
        .from("schoolgate", from)
        .toMultiple(to.toArray(String[]::new))
        .withSubject("schoolgate: " + AlertText.headline(a))
        .withPlainText(AlertText.body(a, zone))
        .fixingMessageId("<" + a.uid() + "@schoolgate>")
        .withHeader("X-Schoolgate-Alert", a.uid())
        .buildEmail();
    mailer.sendMail(email).join(); // synchronous: the mailer is not async, so this returns when the server took it
  }
}
