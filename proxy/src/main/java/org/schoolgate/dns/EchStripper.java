package org.schoolgate.dns;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the {@code ech} SvcParam (key 5, RFC 9460 / draft-ietf-tls-svcb-ech) from every HTTPS
 * (65) and SVCB (64) record of a message, keeping every other SvcParam and the rest of the
 * record byte for byte: only the RDATA shrinks and its RDLENGTH with it. A {@code mandatory}
 * list naming {@code ech} loses that key too (and goes when it is left empty), so the record
 * stays valid. Names after a shortened record that point (compression) at later parts of the
 * message are moved with them. The AD bit is cleared: what was signed is no longer what is sent.
 */
final class EchStripper {
  static final int KEY_MANDATORY = 0;
  static final int KEY_ECH = 5;

  private EchStripper() {}

  /** The message without {@code ech}, or null when it has none (nothing to change). */
  static byte[] strip(byte[] m, Records r) {
    List<int[]> edits = new ArrayList<>(); // {old rdata offset, old length}
    List<byte[]> rdatas = new ArrayList<>();
    for (int i = 0; i < r.count; i++) {
      if (r.type(i) == Wire.HTTPS || r.type(i) == Wire.SVCB) {
        byte[] stripped = stripRdata(m, r.rdata(i), r.rdLength(i));
        if (stripped != null) {
          edits.add(new int[] {r.rdata(i), r.rdLength(i)});
          rdatas.add(stripped);
        }
      }
    }
    if (edits.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(m.length);
    int from = 0;
    int[] ends = new int[edits.size()];
    int[] shifts = new int[edits.size()];
    int shift = 0;
    for (int k = 0; k < edits.size(); k++) {
      int rd = edits.get(k)[0];
      int oldLength = edits.get(k)[1];
      byte[] fresh = rdatas.get(k);
      out.write(m, from, rd - 2 - from);
      out.write(fresh.length >>> 8);
      out.write(fresh.length);
      out.write(fresh, 0, fresh.length);
      from = rd + oldLength;
      shift += oldLength - fresh.length;
      ends[k] = from;
      shifts[k] = shift;
    }
    out.write(m, from, m.length - from);
    byte[] result = out.toByteArray();
    Wire.put16(result, 2, Wire.flags(result) & ~Wire.AD);
    Pointers.move(result, ends, shifts);
    return result;
  }

  /** The RDATA without {@code ech}, or null when it has none or cannot be read (then left as it is). */
  static byte[] stripRdata(byte[] m, int rd, int length) {
    int end = rd + length;
    if (length < 3 || Wire.u16(m, rd) == 0) {
      return null; // AliasMode (priority 0) carries no SvcParams
    }
    int target = Wire.skipName(m, rd + 2, end);
    if (target < 0) {
      return null;
    }
    boolean found = false;
    for (int p = target; p < end; ) {
      if (p + 4 > end || p + 4 + Wire.u16(m, p + 2) > end) {
        return null;
      }
      found |= Wire.u16(m, p) == KEY_ECH;
      p += 4 + Wire.u16(m, p + 2);
    }
    if (!found) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(length);
    out.write(m, rd, target - rd);
    for (int p = target; p < end; p += 4 + Wire.u16(m, p + 2)) {
      int key = Wire.u16(m, p);
      int len = Wire.u16(m, p + 2);
      if (key == KEY_ECH) {
        continue;
      }
      if (key == KEY_MANDATORY && len % 2 == 0) {
        ByteArrayOutputStream keys = new ByteArrayOutputStream(len);
        for (int k = p + 4; k < p + 4 + len; k += 2) {
          if (Wire.u16(m, k) != KEY_ECH) {
            keys.write(m, k, 2);
          }
        }
        if (keys.size() > 0) {
          out.write(m, p, 2);
          out.write(keys.size() >>> 8);
          out.write(keys.size());
          out.write(keys.toByteArray(), 0, keys.size());
        }
        continue;
      }
      out.write(m, p, 4 + len);
    }
    return out.toByteArray();
  }
}
