package org.schoolgate.proxy;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Short references printed on block pages and in the access log, so staff can find the line a
 * pupil reports. One reference per client, host and minute (SPEC section 8): a browser opens
 * several connections for one visit and retries, and every one of them shows and logs the same
 * reference. It is a keyed hash (SipHash, with a key drawn at start), so it needs no table and a
 * reference tells nothing about the address or the site to whoever reads it.
 */
final class Refs {
  private static final char[] ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ".toCharArray(); // no 0/O, 1/I/L
  private static final HashFunction KEYED;

  static {
    SecureRandom random = new SecureRandom();
    KEYED = Hashing.sipHash24(random.nextLong(), random.nextLong());
  }

  private Refs() {}

  /** The reference of {@code client}'s visits to {@code host} in the minute {@code epochMinute}. */
  /** The minute a reference names, and attempts count by (SPEC 4, issue 20.7): one per client, host and minute. */
  static long minute(java.time.Clock clock) {
    return Math.floorDiv(clock.millis(), 60_000L);
  }

  static String of(InetAddress client, String host, long epochMinute) {
    long r = KEYED.newHasher()
        .putBytes(client.getAddress())
        .putString(host == null ? "" : host, StandardCharsets.UTF_8)
        .putLong(epochMinute)
        .hash().asLong();
    char[] out = new char[9];
    for (int i = 0; i < out.length; i++) {
      if (i == 4) {
        out[i] = '-';
        continue;
      }
      out[i] = ALPHABET[(int) Long.remainderUnsigned(r, ALPHABET.length)];
      r = Long.divideUnsigned(r, ALPHABET.length);
    }
    return new String(out);
  }
}
