package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.support.AdminClient;
import org.schoolgate.e2e.support.AdminClient.Reply;
import org.schoolgate.e2e.support.ProxyHarness;
import org.schoolgate.e2e.support.Users;

/**
 * Issue 21.7 on the real admin listener: guesses at one account spread over many staff
 * addresses (127.0.20.x) are limited per account, without locking the account out of an address
 * it has signed in from before; and a flood of sign-ins at once is refused at once when the
 * password-hashing slots are taken, instead of queueing in front of everyone else's requests.
 */
class SignInFloodTest {
  private static final String HEADS_DESK = "127.0.20.150";

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
  void guessesAtOneAccountFromTwentyAddressesAreRefusedButNotFromTheHeadsOwnDesk() throws Exception {
    assertEquals(200, signIn(HEADS_DESK, "head", Users.PASSWORD).status(), "the head signs in from her desk as every day");
    int refused = 0;
    for (int a = 0; a < 20; a++) {
      for (int i = 0; i < 5; i++) {
        int status = signIn("127.0.20." + (100 + a), "head", "guess " + a + "." + i).status();
        assertTrue(status == 401 || status == 429, "guess " + a + "." + i + ": " + status);
        refused += status == 429 ? 1 : 0;
      }
    }
    assertTrue(refused >= 70, "100 guesses at one account from 20 addresses: only " + refused + " refused");
    Reply stranger = signIn("127.0.20.140", "head", Users.PASSWORD);
    assertEquals(429, stranger.status(), "an address the head never used waits, even with the right password");
    assertTrue(stranger.error().endsWith("."), stranger.error());
    assertNotNull(stranger.raw().header("Retry-After"));
    assertEquals(200, signIn(HEADS_DESK, "head", Users.PASSWORD).status(), "the head still signs in from her own desk");
    assertEquals(200, signIn("127.0.20.140", "netmgr", Users.PASSWORD).status(), "other accounts are not affected");
    gate.clock.advance(Duration.ofMinutes(15));
    assertEquals(200, signIn("127.0.20.140", "head", Users.PASSWORD).status(), "once the guessing has drained away");
  }

  @Test
  void aFloodOfSignInsAtOnceIsRefusedAtOnceWhenTheHashingSlotsAreTaken() throws Exception {
    int n = 60;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String from = "127.0.20." + (160 + i % 60);
      String user = "nobody" + i;
      replies.add(pool.submit(() -> {
        go.await();
        return signIn(from, user, "wrong password");
      }));
    }
    go.countDown();
    int busy = 0;
    for (Future<Reply> f : replies) {
      Reply r = f.get();
      assertTrue(r.status() == 401 || r.status() == 503, r.status() + " " + r.body());
      if (r.status() == 503) {
        busy++;
        assertNotNull(r.raw().header("Retry-After"), "a busy refusal says when to come back");
        assertTrue(r.error().endsWith("."), r.error());
      }
    }
    pool.shutdown();
    assertTrue(busy > 0, "60 sign-ins at once: none was refused as busy, all waited for a password check");
    assertEquals(200, signIn(HEADS_DESK, "netmgr", Users.PASSWORD).status());
  }
}
