package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** One reference per client, host and minute (SPEC section 8), readable aloud (no 0/O, 1/I/L). */
class RefsTest {
  private static final long MINUTE = 29_400_000L;

  @Test
  void theSameClientHostAndMinuteGiveTheSameReference() throws Exception {
    InetAddress pupil = InetAddress.getByName("10.10.3.4");
    assertEquals(Refs.of(pupil, "www.facebook.com", MINUTE), Refs.of(pupil, "www.facebook.com", MINUTE));
  }

  @Test
  void anotherClientHostOrMinuteGivesAnother() throws Exception {
    InetAddress pupil = InetAddress.getByName("10.10.3.4");
    String ref = Refs.of(pupil, "www.facebook.com", MINUTE);
    assertNotEquals(ref, Refs.of(InetAddress.getByName("10.10.3.5"), "www.facebook.com", MINUTE));
    assertNotEquals(ref, Refs.of(pupil, "m.facebook.com", MINUTE));
    assertNotEquals(ref, Refs.of(pupil, "www.facebook.com", MINUTE + 1));
  }

  @Test
  void aReferenceIsFourAndFourCharactersThatCannotBeMisread() throws Exception {
    String ref = Refs.of(InetAddress.getByName("::1"), "example.org", MINUTE);
    assertTrue(ref.matches("[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}"), ref);
  }
}
