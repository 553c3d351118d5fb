package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.testing.Await;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.UpstreamServer;
import org.schoolgate.e2e.support.VlanClient;

/** Editing a list takes effect on the wire without a restart and without dropping connections. */
class BlocklistReloadTest {
  @TempDir
  static Path dir;
  static UpstreamServer web;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    web = UpstreamServer.http();
    gate = new ProxyHarness(dir, web.port(), 443, yaml -> yaml);
  }

  @AfterAll
  static void stop() {
    gate.close();
    web.close();
  }

  private static void touch(Path file, int secondsAhead) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsAhead)));
  }

  @Test
  void anAddedDomainIsBlockedOnAConnectionThatStaysOpen() throws Exception {
    Path social = dir.resolve("blocklists/social.txt");
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      String url = "http://school.test:" + web.port() + "/";
      assertEquals(200, c.get(url).status());
      Files.writeString(social, "\nschool.test\n", StandardOpenOption.APPEND);
      touch(social, 5);
      Await.until("school.test is blocked", () -> {
        try {
          return c.get(url).status() == 403;
        } catch (java.io.IOException e) {
          throw new AssertionError("the open connection was dropped by the reload", e);
        }
      });
    }
  }

  @Test
  void aReloadThatFailsKeepsThePreviousLists() throws Exception {
    Path forums = dir.resolve("blocklists/forums.txt");
    Path moved = dir.resolve("forums.txt.away");
    long domainsBefore = gate.server.engine().policy().lists().domainCount();
    long failuresBefore = gate.server.blocklistWatcher().failures();
    Files.move(forums, moved);
    try (VlanClient c = gate.client(VlanClient.PUPIL)) {
      // The folder changed (a category vanished): the reload fails and the old lists stay.
      Await.until("the failed reload", () -> gate.server.blocklistWatcher().failures() > failuresBefore);
      assertEquals(403, c.get("http://www.reddit.com:" + web.port() + "/").status());
    } finally {
      Files.move(moved, forums);
      touch(forums, 10);
    }
    assertEquals(domainsBefore, gate.server.engine().policy().lists().domainCount());
  }
}
