package org.schoolgate.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.schoolgate.store.Rows;

/**
 * Alerts as a JSON POST (Teams/Slack-style: {@code text} is the message; the other fields are for
 * programs). Any 2xx is delivered; anything else is tried again.
 */
final class WebhookChannel implements Channel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI url;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  WebhookChannel(URI url) {
    this.url = url;
  }

  static String json(Rows.Alert a, ZoneId zone) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", a.uid());
    o.put("kind", a.kind());
    // text is rendered by the chat (Slack mrkdwn, Teams markdown): nothing typed or sent by anyone is markup there
    o.put("text", Inert.chat(AlertText.headline(a) + ": " + AlertText.what(a)) + " (" + AlertText.when(a.ts(), zone) + ")"
        + (a.count() > 1 ? ", " + a.count() + " times in all" : "") + (a.link() == null ? "" : " " + a.link()));
    o.put("device", a.device());
    o.put("mac", a.mac());
    o.put("name", Inert.line(a.name(), 100));
    o.put("group", a.group());
    o.put("time", OffsetDateTime.parse(a.ts()).atZoneSameInstant(zone).toOffsetDateTime().toString());
    o.put("zone", zone.getId());
    o.put("what", AlertText.what(a));
    o.put("count", a.count());
    o.put("reference", a.ref());
    o.put("link", a.link());
    return JSON.writeValueAsString(o);
  }

  @Override
  public void send(Rows.Alert a, ZoneId zone) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json").header("X-Schoolgate-Alert", a.uid())
        .POST(HttpRequest.BodyPublishers.ofString(json(a, zone))).build();
    HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("the webhook answered " + r.statusCode());
    }
  }
}
