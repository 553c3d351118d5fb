package org.schoolgate.proxy;

import java.util.concurrent.ThreadLocalRandom;

/** Short references printed on block pages and in the access log, so staff can find the line a pupil reports. */
final class Refs {
  private static final char[] ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ".toCharArray(); // no 0/O, 1/I/L

  private Refs() {}

  static String next() {
    long r = ThreadLocalRandom.current().nextLong();
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
