package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.ListPublisher;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.Users;
import org.schoolgate.e2e.support.VlanClient;

/**
 * The "done when" (SPEC section 13): a school turns on a UT1 subscription and pupils are
 * blocked from a gambling site and a VPN provider's site that no shipped list names, the API shows
 * where that came from, and a bad download changes nothing. The publisher is on loopback, its
 * name and the sites' in the hosts file.
 */
class ListSubscriptionTest {
  static final String CASINO = "www.jackpot-casino.test";
  static final String VPN = "fastvpn-provider.test";
  static final String PUBLISHER = "dsi.publisher.test";
  /** UT1's adult category lists the domain; its allow-type sexual_education category, one subdomain of it. */
  static final String ADULT_PARENT = "adult-parent.test";
  static final String CARVED_OUT = "health.adult-parent.test";

  @TempDir
  static Path dir;
  static UpstreamServer web;
  static ListPublisher publisher;
  static ProxyHarness gate;

  static String config(String yaml) {
    String lists = """
        lists:
          update_window: "01:00-05:00"
          keep: 3
          max_size: 1MiB
          read_timeout: 5s
          subscriptions:
            - name: ut1
              url: http://%s:%d/blacklists/download/blacklists.tar.gz
              format: ut1
              map:
                adult: adult
                gambling: gambling
                vpn: circumvention
              allow: [sexual_education]
              licence: "CC BY-SA 4.0, Universite Toulouse Capitole"
              enabled: true
        """.formatted(PUBLISHER, publisher.port());
    return yaml.replace("block: [social, forums, chat, media-sharing, microblogging, circumvention]",
        "block: [social, forums, chat, media-sharing, microblogging, circumvention, gambling, adult]") + lists;
  }

  /** Every name in the hosts file, and a starter list for the two categories if the shipped folder has none. */
  static void prepare(Path configFile) throws Exception {
    Path d = configFile.getParent();
    Files.writeString(d.resolve("hosts"), "127.0.0.1 " + CASINO + "\n127.0.0.1 " + VPN + "\n127.0.0.1 " + PUBLISHER
        + "\n127.0.0.1 " + ADULT_PARENT + "\n127.0.0.1 " + CARVED_OUT + "\n",
        StandardOpenOption.APPEND);
    for (String c : List.of("gambling", "adult")) {
      Path f = d.resolve("blocklists").resolve(c + ".txt");
      if (!Files.exists(f)) {
        Files.writeString(f, "# starter list\n" + c + "-starter.example\n");
      }
    }
    Users.add(configFile, "head", "head");
    Users.add(configFile, "teacher", "staff");
  }

  static byte[] archive(int gamblingSites) throws IOException {
    List<String> gambling = new java.util.ArrayList<>(List.of(CASINO.substring(4)));
    for (int i = 1; i < gamblingSites; i++) {
      gambling.add("bet" + i + ".test");
    }
    return ListPublisher.ut1(Map.of("gambling", gambling, "vpn", List.of(VPN, "other-vpn.test"),
        "adult", List.of("adult-site.test", ADULT_PARENT), "bank", List.of("school.test"),
        "sexual_education", List.of("adult-site.test", CARVED_OUT)));
  }

  @BeforeAll
  static void start() throws Exception {
    web = UpstreamServer.http();
    publisher = new ListPublisher("/blacklists/download/blacklists.tar.gz");
    publisher.publish(archive(10), "\"2026-11-23\"");
    gate = new ProxyHarness(dir, web.port(), 443, ListSubscriptionTest::config, org.schoolgate.Schoolgate.Options.HELLO_TIMEOUT,
        ListSubscriptionTest::prepare);
  }

  @AfterAll
  static void stop() {
    if (gate != null) {
      gate.close();
    }
    publisher.close();
    web.close();
  }

  private static int status(VlanClient c, String host) {
    try {
      return c.get("http://" + host + ":" + web.port() + "/").status();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the pupil's connection failed", e);
    }
  }

  private static JsonNode ut1(AdminClient head) {
    try {
      AdminClient.Reply r = head.get("/api/lists");
      assertEquals(200, r.status(), r.body());
      return r.json().get(0);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void turningOnUt1BlocksAGamblingAndAVpnSiteNoShippedListNamesAndABadDownloadChangesNothing() throws Exception {
    AdminClient head = gate.admin(VlanClient.STAFF, "head");
    try (VlanClient pupil = gate.client(VlanClient.PUPIL)) {
      Await.until("the gambling site is blocked for pupils", () -> status(pupil, CASINO) == 403);
      assertEquals(403, status(pupil, VPN));
      assertEquals(200, status(pupil, "school.test"), "UT1's bank category is not mapped, so not blocked");
      assertEquals(403, status(pupil, ADULT_PARENT));
      assertEquals(200, status(pupil, CARVED_OUT), "an allow-type category carves a subdomain out of a block");
      assertEquals(403, status(pupil, "www." + ADULT_PARENT));
    }
    JsonNode ut1 = ut1(head);
    assertEquals("ut1", ut1.get("name").asText());
    assertEquals("CC BY-SA 4.0, Universite Toulouse Capitole", ut1.get("licence").asText());
    assertTrue(ut1.get("url").asText().contains(PUBLISHER), ut1.toString());
    assertEquals(10, ut1.get("entries").get("gambling").asInt());
    assertEquals(2, ut1.get("entries").get("circumvention").asInt());
    assertEquals(1, ut1.get("entries").get("adult").asInt(), "adult-site.test, in the allowed category too, is an exception");
    assertNotNull(ut1.get("last_success").textValue());
    assertEquals("\"2026-11-23\"", ut1.get("etag").asText());
    assertTrue(ut1.get("last_error").isNull());

    JsonNode audit = head.get("/api/audit").json();
    boolean swapped = false;
    for (JsonNode a : audit) {
      swapped |= a.get("user").asText().equals("lists") && a.get("action").asText().equals("lists.update")
          && a.get("target").asText().equals("ut1") && a.get("reason").asText().contains("gambling=10");
    }
    assertTrue(swapped, "an audit row for the swap: " + audit);
    String metrics = gate.admin(VlanClient.OFFICE, null).get("/metrics").body();
    assertTrue(metrics.contains("schoolgate_list_entries{category=\"gambling\",subscription=\"ut1\"} 10.0"), metrics);
    assertTrue(metrics.contains("schoolgate_list_last_success_timestamp_seconds{subscription=\"ut1\"}"), metrics);

    // A shrunk copy, then an error: refused, counted, said in a sentence, and the pupils still blocked.
    assertEquals(403, gate.admin(VlanClient.STAFF, "teacher").post("/api/lists/ut1/update", "").status());
    publisher.publish(archive(3), "\"shrunk\"");
    assertEquals(202, head.post("/api/lists/ut1/update", "").status());
    Await.until("the shrunk copy is refused", () -> ut1(head).get("last_error").asText("").contains("shrink gambling"));
    publisher.fail(500);
    int before = publisher.requests();
    assertEquals(202, head.post("/api/lists/ut1/update", "").status());
    Await.until("the error is recorded", () -> publisher.requests() > before
        && ut1(head).get("last_error").asText("").contains("answered 500"));
    try (VlanClient pupil = gate.client(VlanClient.PUPIL)) {
      assertEquals(403, status(pupil, CASINO));
      assertEquals(403, status(pupil, VPN));
    }
    assertEquals(10, ut1(head).get("entries").get("gambling").asInt());
    String after = gate.admin(VlanClient.OFFICE, null).get("/metrics").body();
    assertTrue(after.contains("schoolgate_list_fetch_failures_total{reason=\"shrink\",subscription=\"ut1\"} 1.0"), after);
    assertEquals(404, head.post("/api/lists/nothing/update", "").status());

    // The command reads data_dir: a good copy, so exit 0.
    CommandLineTest.Run listed = CommandLineTest.run("lists", "--config", dir.resolve("schoolgate.yaml").toString());
    assertEquals(0, listed.exit(), listed.out() + listed.err());
    assertTrue(listed.out().contains("ut1: In use, but the last download was refused"), listed.out());
    assertTrue(listed.out().contains("entries gambling: 10"), listed.out());

    // A restart with the publisher down: the last good copy is in force from the first request.
    gate.close();
    gate = null;
    publisher.close();
    gate = new ProxyHarness(dir, web.port(), 443, ListSubscriptionTest::config,
        org.schoolgate.Schoolgate.Options.HELLO_TIMEOUT, ListSubscriptionTest::prepare);
    try (VlanClient pupil = gate.client(VlanClient.PUPIL)) {
      assertEquals(403, status(pupil, CASINO));
      assertEquals(403, status(pupil, VPN));
    }
  }
}
