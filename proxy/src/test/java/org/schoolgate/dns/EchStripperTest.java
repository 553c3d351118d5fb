package org.schoolgate.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** ECH stripping on recorded-style bytes: what stays, what goes, and the names that point past the cut. */
class EchStripperTest {
  private static final byte[] ECH = {1, 2, 3, 4, 5, 6, 7, 8, 9};

  /**
   * An answer to "a.example HTTPS" with the HTTPS record (mandatory=alpn,ech; alpn=h2; ech=...;
   * port=443), then two additional records for "x.example": the second's owner points at the
   * first's, which lies after the HTTPS record, and AD set.
   */
  private static byte[] message(boolean withEch) {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(new byte[] {0x12, 0x34, (byte) 0x81, (byte) 0xa0, 0, 1, 0, 1, 0, 0, 0, 2});
    m.writeBytes(new byte[] {1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 65, 0, 1});
    ByteArrayOutputStream rdata = new ByteArrayOutputStream();
    rdata.writeBytes(new byte[] {0, 1, 0}); // priority 1, target "."
    if (withEch) {
      rdata.writeBytes(new byte[] {0, 0, 0, 4, 0, 1, 0, 5}); // mandatory: alpn, ech
    } else {
      rdata.writeBytes(new byte[] {0, 0, 0, 2, 0, 1}); // mandatory: alpn
    }
    rdata.writeBytes(new byte[] {0, 1, 0, 3, 2, 'h', '2'}); // alpn=h2
    if (withEch) {
      rdata.writeBytes(new byte[] {0, 5, 0, (byte) ECH.length});
      rdata.writeBytes(ECH);
    }
    rdata.writeBytes(new byte[] {0, 3, 0, 2, 1, (byte) 0xbb}); // port=443
    m.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 65, 0, 1, 0, 0, 0, 60, 0, (byte) rdata.size()});
    m.writeBytes(rdata.toByteArray());
    int firstOwner = m.size();
    m.writeBytes(new byte[] {1, 'x', (byte) 0xc0, 14, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 192, 0, 2, 1});
    m.writeBytes(new byte[] {(byte) 0xc0, (byte) firstOwner, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16});
    m.writeBytes(new byte[16]);
    return m.toByteArray();
  }

  @Test
  void echGoesAndEverythingElseStaysByteForByte() {
    byte[] withEch = message(true);
    byte[] stripped = EchStripper.strip(withEch, Records.of(withEch));
    assertNotNull(stripped);
    byte[] expected = message(false);
    Wire.put16(expected, 2, Wire.flags(expected) & ~Wire.AD); // what was signed is no longer what is sent
    assertArrayEquals(expected, stripped);
    Records r = Records.of(stripped);
    assertNotNull(r);
    assertEquals("x.example", Wire.name(stripped, r.owner(2), stripped.length), "the pointer past the cut moved with it");
  }

  @Test
  void anAnswerWithoutEchIsLeftAlone() {
    byte[] plain = message(false);
    assertNull(EchStripper.strip(plain, Records.of(plain)));
  }

  @Test
  void aMalformedMessageIsNotRead() {
    byte[] m = message(true);
    assertNull(Records.of(java.util.Arrays.copyOf(m, m.length - 1)));
    assertNull(Query.parse(java.util.Arrays.copyOf(m, 11)));
  }
}
