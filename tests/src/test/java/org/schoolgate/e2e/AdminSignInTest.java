package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.AdminClient.Reply;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;

/**
 * Failed sign-ins on the real admin listener are throttled per account and address (OWASP's
 * Authentication and Credential Stuffing cheat sheets): someone guessing the head's password
 * from a shared staff address is slowed down there, without locking the head out from her own
 * desk, nor other staff out of the shared address. Time moves on the harness's clock only.
 */
class AdminSignInTest {
  /** Staff addresses inside admin.allow_from that no other test in this class uses. */
  private static final String SHARED = "127.0.20.41";
  private static final String HEADS_DESK = "127.0.20.42";
  private static final String STAFF_ROOM = "127.0.20.43";

  @TempDir
  static Path dir;
  static ProxyHarness gate;

  @BeforeAll
  static void start() throws Exception {
    gate = new ProxyHarness(dir, 80, 443, y -> y, Duration.ofSeconds(10), config -> {
      Users.add(config, "head", "head");
      Users.add(config, "netmgr", "netmgr");
    });
  }

  @AfterAll
  static void stop() {
    gate.close();
  }

  private static Reply signIn(String from, String user, String password) throws Exception {
    return new AdminClient(from, gate.admin(), user, password).get("/api/blocks");
  }

  @Test
  void fiveWrongPasswordsForTheHeadFromOneAddressSlowThatPairOnlyUntilTheBackOffPasses() throws Exception {
    for (int i = 1; i <= 5; i++) {
      assertEquals(401, signIn(SHARED, "head", "guess " + i).status(), "wrong password " + i);
    }
    Reply refused = signIn(SHARED, "head", Users.PASSWORD);
    assertEquals(429, refused.status(), "even the right password waits out the back-off from that address");
    String retryAfter = refused.raw().header("Retry-After");
    assertNotNull(retryAfter, "a 429 says when to come back");
    long seconds = Long.parseLong(retryAfter);
    assertTrue(seconds >= 1 && seconds <= 15 * 60, retryAfter);
    assertTrue(refused.error().startsWith("Too many wrong passwords"), refused.error());
    assertTrue(refused.error().endsWith("."), "a sentence: " + refused.error());

    assertEquals(200, signIn(HEADS_DESK, "head", Users.PASSWORD).status(), "the head still signs in from her own desk");
    assertEquals(200, signIn(SHARED, "netmgr", Users.PASSWORD).status(), "another user of the shared address still signs in");

    gate.clock.advance(Duration.ofSeconds(seconds));
    assertEquals(200, signIn(SHARED, "head", Users.PASSWORD).status(), "once the back-off has passed, the head gets in");
    assertEquals(401, signIn(SHARED, "head", "one more typo").status(), "a good sign-in starts the count again");
  }

  @Test
  void aColleagueFailingTenTimesFromASharedAddressDoesNotLockTheHeadOutOfIt() throws Exception {
    for (int i = 1; i <= 10; i++) {
      int status = signIn(STAFF_ROOM, "netmgr", "guess " + i).status();
      assertTrue(status == 401 || status == 429, "wrong password " + i + ": " + status);
    }
    assertEquals(429, signIn(STAFF_ROOM, "netmgr", Users.PASSWORD).status(), "the guessed account waits");
    assertEquals(200, signIn(STAFF_ROOM, "head", Users.PASSWORD).status(), "the head's account had no failures there");
  }
}
