package org.schoolgate.dns;

/**
 * Where each resource record of a message sits: its owner name, type, class, TTL and RDATA
 * offsets, in message order (answer, authority, additional). Built once per upstream answer.
 */
final class Records {
  static final int ANSWER = 1;
  static final int AUTHORITY = 2;
  static final int ADDITIONAL = 3;

  final int count;
  /** Per record: owner offset, type, TTL offset, RDATA offset, RDATA length, section. */
  private final int[] at;
  /** The offset just past the question section. */
  final int questionEnd;

  private Records(int count, int[] at, int questionEnd) {
    this.count = count;
    this.at = at;
    this.questionEnd = questionEnd;
  }

  int owner(int i) {
    return at[6 * i];
  }

  int type(int i) {
    return at[6 * i + 1];
  }

  int ttlOffset(int i) {
    return at[6 * i + 2];
  }

  int rdata(int i) {
    return at[6 * i + 3];
  }

  int rdLength(int i) {
    return at[6 * i + 4];
  }

  int section(int i) {
    return at[6 * i + 5];
  }

  /** Null when the message is malformed (a count that does not match, a record that runs past the end). */
  static Records of(byte[] m) {
    if (m.length < Wire.HEADER) {
      return null;
    }
    int off = Wire.HEADER;
    for (int q = 0; q < Wire.count(m, 0); q++) {
      off = Wire.skipName(m, off, m.length);
      if (off < 0 || off + 4 > m.length) {
        return null;
      }
      off += 4;
    }
    int questionEnd = off;
    int n = Wire.count(m, 1) + Wire.count(m, 2) + Wire.count(m, 3);
    int[] at = new int[6 * n];
    int i = 0;
    for (int section = ANSWER; section <= ADDITIONAL; section++) {
      for (int k = 0; k < Wire.count(m, section); k++, i++) {
        int owner = off;
        off = Wire.skipName(m, off, m.length);
        if (off < 0 || off + 10 > m.length) {
          return null;
        }
        int rdLength = Wire.u16(m, off + 8);
        if (off + 10 + rdLength > m.length) {
          return null;
        }
        at[6 * i] = owner;
        at[6 * i + 1] = Wire.u16(m, off);
        at[6 * i + 2] = off + 4;
        at[6 * i + 3] = off + 10;
        at[6 * i + 4] = rdLength;
        at[6 * i + 5] = section;
        off += 10 + rdLength;
      }
    }
    return off == m.length ? new Records(n, at, questionEnd) : null;
  }

  /**
   * How long the answer may be kept, in seconds: the smallest TTL of its records (the OPT pseudo
   * record has none), for a negative answer capped by its SOA's minimum (RFC 2308); -1 when no
   * record gives a TTL (an empty answer without an SOA is not kept).
   */
  long cacheSeconds(byte[] m) {
    long min = -1;
    for (int i = 0; i < count; i++) {
      if (type(i) == Wire.OPT) {
        continue;
      }
      long ttl = Wire.u32(m, ttlOffset(i)) & 0x7fffffffL;
      if (type(i) == Wire.SOA && section(i) == AUTHORITY && rdLength(i) >= 20) {
        ttl = Math.min(ttl, Wire.u32(m, rdata(i) + rdLength(i) - 4));
      }
      min = min < 0 ? ttl : Math.min(min, ttl);
    }
    return min;
  }
}
