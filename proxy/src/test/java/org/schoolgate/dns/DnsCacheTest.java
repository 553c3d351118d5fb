package org.schoolgate.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.schoolgate.testing.FakeClock;

/**
 * The cache's hot path: entries found by the question's bytes (ASCII case ignored, nothing else),
 * a hit written into a buffer with the asker's ID, RD/CD bits and spelling, TTLs counted down by
 * age, and gone once its TTL has passed; and the query's name, written out only when asked for,
 * read exactly as {@link Wire#name} reads it.
 */
class DnsCacheTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final DnsCache cache = new DnsCache(100, clock);

  private static byte[] query(String name, int id, int flags) {
    byte[] q = Synth.question(name, Wire.A, 1);
    Wire.put16(q, 0, id);
    Wire.put16(q, 2, flags);
    return q;
  }

  /** The upstream's answer: one A record, TTL {@code ttl}, its owner compressed to the question. */
  private static byte[] answer(byte[] query, int ttl) {
    byte[] m = java.util.Arrays.copyOf(query, query.length + 16);
    Wire.put16(m, 2, Wire.QR | Wire.RD | Wire.RA);
    Wire.put16(m, 6, 1);
    int o = query.length;
    Wire.put16(m, o, 0xc000 | Wire.HEADER);
    Wire.put16(m, o + 2, Wire.A);
    Wire.put16(m, o + 4, 1);
    Wire.put32(m, o + 6, ttl);
    Wire.put16(m, o + 10, 4);
    m[o + 12] = (byte) 192;
    m[o + 14] = 2;
    m[o + 15] = 7;
    return m;
  }

  private void store(String name, int ttl) {
    byte[] q = query(name, 1, Wire.RD);
    byte[] a = answer(q, ttl);
    cache.put(Query.parse(q), a, Records.of(a));
  }

  @Test
  void aHitIsWrittenWithTheAskersIdBitsAndSpellingAndItsTtlCountedDown() {
    store("www.Example.org", 300);
    clock.advance(Duration.ofSeconds(42));
    Query asked = Query.parse(query("WWW.example.ORG", 0xbeef, Wire.RD | Wire.CD));
    assertNull(cache.lookup(asked), "CD set is another answer (the cache bits)");
    asked = Query.parse(query("WWW.example.ORG", 0xbeef, 0));
    DnsCache.Entry e = cache.lookup(asked);
    assertNotNull(e, "found whatever the case of the letters");
    assertEquals("www.example.org", e.name());
    ByteBuf out = Unpooled.buffer().writeByte(0x55); // written at the writer index, after what is there
    cache.write(e, asked, out);
    byte[] m = ByteBufUtil.getBytes(out, 1, out.readableBytes() - 1);
    assertEquals(0xbeef, Wire.id(m));
    assertEquals(Wire.QR | Wire.RA, Wire.flags(m), "RD as the asker sent it (off here)");
    assertArrayEquals(java.util.Arrays.copyOfRange(asked.bytes(), 12, asked.questionEnd()),
        java.util.Arrays.copyOfRange(m, 12, asked.questionEnd()), "the asker's spelling");
    Records r = Records.of(m);
    assertEquals(300 - 42, Wire.u32(m, r.ttlOffset(0)));
    assertArrayEquals(m, cache.get(asked), "get gives the same bytes as write");
  }

  @Test
  void anotherNameTypeOrExpiredEntryIsAMiss() {
    store("a.example", 60);
    assertNull(cache.lookup(Query.parse(query("b.example", 2, Wire.RD))));
    assertNull(cache.lookup(Query.parse(query("a.example.a", 2, Wire.RD))));
    byte[] aaaa = Synth.question("a.example", Wire.AAAA, 1);
    assertNull(cache.lookup(Query.parse(aaaa)));
    assertNotNull(cache.lookup(Query.parse(query("a.example", 2, Wire.RD))));
    clock.advance(Duration.ofSeconds(60));
    assertNull(cache.lookup(Query.parse(query("a.example", 2, Wire.RD))), "gone when its TTL has passed");
  }

  @Test
  void onlyAsciiLettersFoldTheOtherBytesMustMatch() {
    byte[] upper = query("x.example", 3, Wire.RD);
    upper[13] = (byte) 0xd8; // a byte outside ASCII: not a letter to fold
    byte[] lower = upper.clone();
    lower[13] = (byte) 0xf8; // 0xd8 + 0x20
    byte[] a = answer(upper, 60);
    cache.put(Query.parse(upper), a, Records.of(a));
    assertNotNull(cache.lookup(Query.parse(upper.clone())));
    assertNull(cache.lookup(Query.parse(lower)));
  }

  @Test
  void theNameIsCheckedWhenParsedAsWireNameChecksIt() {
    // 63 bytes that each need a \DDD escape make 252 characters: with a second label the text is over 255
    byte[] label = new byte[63];
    java.util.Arrays.fill(label, (byte) 0x01);
    byte[] tooLong = question(label, new byte[] {'a', 'b', 'c', 'd', 'e'});
    assertNull(Wire.name(tooLong, 12, tooLong.length - 4));
    assertNull(Query.parse(tooLong), "as before: a name the text form cannot hold is malformed");
    byte[] fits = question(label, new byte[] {'a'});
    assertEquals(Wire.name(fits, 12, fits.length - 4).length(), Wire.nameLength(fits, 12, fits.length - 4));
    Query q = Query.parse(fits);
    assertNotNull(q);
    assertEquals(Wire.name(fits, 12, fits.length - 4), q.name());
    assertEquals("www.example.org", Query.parse(query("Www.EXAMPLE.org", 4, 0)).name());
  }

  private static byte[] question(byte[]... labels) {
    java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
    m.writeBytes(new byte[] {0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
    for (byte[] l : labels) {
      m.write(l.length);
      m.writeBytes(l);
    }
    m.writeBytes(new byte[] {0, 0, 1, 0, 1});
    return m.toByteArray();
  }
}
