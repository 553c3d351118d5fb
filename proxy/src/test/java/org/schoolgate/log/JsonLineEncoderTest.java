package org.schoolgate.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import net.logstash.logback.composite.loggingevent.ArgumentsJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LoggerContext context = new LoggerContext();

  private LoggingEvent event(Object... args) {
    return new LoggingEvent("test", context.getLogger("schoolgate.access"), Level.INFO, "access", null, args);
  }

  private byte[] logstash(LoggingEvent e) {
    LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
    encoder.setContext(context);
    encoder.getProviders().addProvider(new ArgumentsJsonProvider());
    encoder.start();
    try {
      return encoder.encode(e);
    } finally {
      encoder.stop();
    }
  }

  private static byte[] ours(LoggingEvent e) {
    return new JsonLineEncoder().encode(e);
  }

  private static AccessRecord access(String host, String path, String category) {
    return new AccessRecord(Instant.parse("2026-11-23T11:00:00.123Z"), ZoneId.of("Europe/London"), "127.0.10.5",
        "pupils", "proxy", "GET", host, 80, path, "block", category, null, 403, 12, 3456, 7, "r-1", null, null, null, null, null);
  }

  private static AccessRecord rerouted() {
    return new AccessRecord(Instant.parse("2026-11-23T11:00:00.123Z"), ZoneId.of("Europe/London"), "127.0.10.5",
        "pupils", "intercept_tls", "TLS", "www.google.co.uk", 443, null, "allow", null, null, 200, 512, 4096, 30, null,
        null, null, null, "forcesafesearch.google.com", null);
  }

  @Test
  void writesTheSameBytesAsTheLogstashEncoderItReplaces() {
    List<Object> records = List.of(
        access("www.facebook.com", "/", "social"),
        access("example.org", null, null),
        rerouted(),
        new CircumventionRecord(Instant.EPOCH, ZoneId.of("UTC"), "127.0.10.9", "pupils", "ech", "x.test", "no sni", "aa:bb", null),
        new AuditRecord("2026-11-23T11:00:00Z", "head", "block", "tiktok.com", "reported by a parent"));
    for (Object r : records) {
      LoggingEvent e = event(r);
      assertEquals(new String(logstash(e), StandardCharsets.UTF_8), new String(ours(e), StandardCharsets.UTF_8));
    }
  }

  @Test
  void hostileStringsComeBackExactlyAndEachLineIsOneLine() throws Exception {
    String[] hostile = {"\"quoted\" \\back\\", "line\nbreak\r\n\t", "\u0000\u0001\u001f\u007f", "</script>",
                        "caf\u00e9 \u65e5\u672c \ud83d\ude00", "{\"injected\":1}", ""};
    for (String s : hostile) {
      LoggingEvent e = event(access("example.org", s, s));
      byte[] line = ours(e);
      if (s.codePoints().allMatch(Character::isBmpCodePoint)) {
        assertArrayEquals(logstash(e), line, s); // Jackson escapes an emoji as two \\u escapes; we write its four UTF-8 bytes
      }
      String text = new String(line, StandardCharsets.UTF_8);
      assertEquals(text.length() - 1, text.indexOf('\n'), "one line: " + text);
      JsonNode node = JSON.readTree(line);
      assertEquals(s, node.get("path").asText());
      assertEquals(s, node.get("category").asText());
      assertTrue(node.get("rule").isNull());
    }
  }

  @Test
  void randomStringsRoundTrip() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 2000; n++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        b.appendCodePoint(switch (random.nextInt(4)) {
          case 0 -> random.nextInt(0x20, 0x7f);
          case 1 -> random.nextInt(0, 0x20);
          case 2 -> random.nextInt(0x80, 0xd800);
          default -> random.nextInt(0x10000, 0x110000);
        });
      }
      String s = b.toString();
      assertEquals(s, JSON.readTree(ours(event(access(s, s, null)))).get("host").asText());
    }
  }

  @Test
  void aLoneSurrogateBecomesTheReplacementCharacter() throws Exception {
    JsonNode node = JSON.readTree(ours(event(access("a\ud800b", "\udc00", null))));
    assertEquals("a\ufffdb", node.get("host").asText());
    assertEquals("\ufffd", node.get("path").asText());
  }

  @Test
  void anEventWithoutARecordIsWrittenAsItsMessage() throws Exception {
    JsonNode node = JSON.readTree(ours(event()));
    assertEquals("access", node.get("message").asText());
  }

  @Test
  void numbersAreWrittenAsJavaWritesThem() throws Exception {
    for (long n : new long[] {0, 7, -1, 10, 99, 100, -4096, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
      JsonLine line = new JsonLine().begin();
      line.number("n", n);
      assertEquals("{\"n\":" + n + "}\n", new String(line.end(), StandardCharsets.UTF_8));
    }
  }
}
