package org.schoolgate.dns;

/**
 * Moves the compression pointers of a message whose records were shortened: a pointer to an
 * offset past a shortened RDATA is moved back by what was cut before it. Pointers live in owner
 * names and in the RDATA of the types RFC 3597 section 4 names (the only ones a server may compress).
 */
final class Pointers {
  private Pointers() {}

  /**
   * @param ends   the old offsets just past each shortened RDATA, ascending
   * @param shifts the bytes cut up to and including each
   */
  static void move(byte[] m, int[] ends, int[] shifts) {
    Records r = Records.of(m);
    if (r == null) {
      return; // cannot happen for a message Records read before it was shortened
    }
    int off = Wire.HEADER;
    for (int q = 0; q < Wire.count(m, 0); q++) {
      fix(m, off, ends, shifts);
      off = Wire.skipName(m, off, m.length) + 4;
    }
    for (int i = 0; i < r.count; i++) {
      fix(m, r.owner(i), ends, shifts);
      int rd = r.rdata(i);
      int end = rd + r.rdLength(i);
      switch (r.type(i)) {
        case 2, 3, 4, 5, 7, 8, 9, 12, 39 -> fix(m, rd, ends, shifts); // NS MD MF CNAME MB MG MR PTR DNAME
        case 6, 14, 17 -> { // SOA MINFO RP: two names
          fix(m, rd, ends, shifts);
          int second = Wire.skipName(m, rd, end);
          if (second > 0) {
            fix(m, second, ends, shifts);
          }
        }
        case 15, 18, 21, 36 -> fix(m, rd + 2, ends, shifts); // MX AFSDB RT KX
        case 26 -> { // PX
          fix(m, rd + 2, ends, shifts);
          int second = Wire.skipName(m, rd + 2, end);
          if (second > 0) {
            fix(m, second, ends, shifts);
          }
        }
        case 33 -> fix(m, rd + 6, ends, shifts); // SRV
        default -> { }
      }
    }
  }

  /** Moves the pointer that ends the name at {@code off}, if it has one. */
  private static void fix(byte[] m, int off, int[] ends, int[] shifts) {
    while (off >= 0 && off < m.length) {
      int len = m[off] & 0xff;
      if (len == 0) {
        return;
      }
      if ((len & 0xc0) == 0xc0) {
        if (off + 1 >= m.length) {
          return;
        }
        int target = Wire.u16(m, off) & 0x3fff;
        int cut = 0;
        for (int k = 0; k < ends.length && ends[k] <= target; k++) {
          cut = shifts[k];
        }
        Wire.put16(m, off, 0xc000 | (target - cut));
        return;
      }
      off += len + 1;
    }
  }
}
