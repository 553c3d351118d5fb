package org.schoolgate.dns;

/**
 * A client's query, read from its bytes: one question, no answers, at most an OPT record (EDNS)
 * and a signature in the additional section. Anything else is malformed ({@link #parse} gives null).
 * The name is checked when parsed but written out as text only when asked for ({@link #name}): a
 * cached answer is found by the name's bytes and knows its name, so the hot path reads no text.
 */
final class Query {
  static final int PLAIN_UDP = 512;
  /** An EDNS payload size above this is taken as this (the DNS flag day's safe size is below it). */
  static final int MAX_UDP = 4096;

  private final byte[] bytes;
  private final int questionEnd;
  private final int type;
  private final int dnsClass;
  private final int udpSize;
  private final boolean edns;
  private final boolean dnssecOk;
  private String name;

  private Query(byte[] bytes, int questionEnd, int type, int dnsClass, int udpSize, boolean edns, boolean dnssecOk) {
    this.bytes = bytes;
    this.questionEnd = questionEnd;
    this.type = type;
    this.dnsClass = dnsClass;
    this.udpSize = udpSize;
    this.edns = edns;
    this.dnssecOk = dnssecOk;
  }

  /** The packet as received (forwarded as it is, apart from the ID). */
  byte[] bytes() {
    return bytes;
  }

  /** The offset just past the question (the question is {@code [12, questionEnd)}). */
  int questionEnd() {
    return questionEnd;
  }

  /** The offset just past the question's name (the name is {@code [12, nameEnd)}, uncompressed). */
  int nameEnd() {
    return questionEnd - 4;
  }

  /** Lower case, no final dot (as {@link Wire#name} writes it). */
  String name() {
    if (name == null) {
      name = Wire.name(bytes, Wire.HEADER, nameEnd());
    }
    return name;
  }

  int type() {
    return type;
  }

  int dnsClass() {
    return dnsClass;
  }

  /** The largest UDP answer the client takes: its EDNS payload size, else 512. */
  int udpSize() {
    return udpSize;
  }

  /** Whether it carries an OPT record. */
  boolean edns() {
    return edns;
  }

  /** The OPT record's DO bit. */
  boolean dnssecOk() {
    return dnssecOk;
  }

  int id() {
    return Wire.id(bytes);
  }

  int flags() {
    return Wire.flags(bytes);
  }

  /** The cache tells these apart: an answer with DNSSEC records, or checked by the upstream, is not everyone's. */
  int cacheBits() {
    return (edns ? 1 : 0) | (dnssecOk ? 2 : 0) | ((flags() & Wire.CD) != 0 ? 4 : 0);
  }

  /** Null when it is not a well-formed standard query. */
  static Query parse(byte[] b) {
    if (b.length < Wire.HEADER) {
      return null;
    }
    int flags = Wire.flags(b);
    if ((flags & Wire.QR) != 0 || (flags >>> 11 & 0xf) != 0 || Wire.count(b, 0) != 1 || Wire.count(b, 1) != 0
        || Wire.count(b, 2) != 0 || Wire.count(b, 3) > 2) {
      return null;
    }
    int end = Wire.skipName(b, Wire.HEADER, b.length);
    if (end < 0 || end + 4 > b.length) {
      return null;
    }
    for (int o = Wire.HEADER; b[o] != 0; o += (b[o] & 0xff) + 1) {
      if ((b[o] & 0xc0) != 0) {
        return null; // a compression pointer in the first name of a message points at nothing before it
      }
    }
    boolean named = Wire.nameLength(b, Wire.HEADER, end) >= 0;
    int type = Wire.u16(b, end);
    int dnsClass = Wire.u16(b, end + 2);
    int questionEnd = end + 4;
    int off = questionEnd;
    int udpSize = PLAIN_UDP;
    boolean edns = false;
    boolean dnssecOk = false;
    for (int i = 0; i < Wire.count(b, 3); i++) {
      int rrEnd = Wire.skipName(b, off, b.length);
      if (rrEnd < 0 || rrEnd + 10 > b.length) {
        return null;
      }
      int rrType = Wire.u16(b, rrEnd);
      int rdLength = Wire.u16(b, rrEnd + 8);
      if (rrEnd + 10 + rdLength > b.length) {
        return null;
      }
      if (rrType == Wire.OPT) {
        if (edns || rrEnd != off + 1) {
          return null; // two OPT records, or one whose owner is not the root
        }
        edns = true;
        udpSize = Math.min(MAX_UDP, Math.max(PLAIN_UDP, Wire.u16(b, rrEnd + 2)));
        dnssecOk = (Wire.u16(b, rrEnd + 6) & 0x8000) != 0;
      }
      off = rrEnd + 10 + rdLength;
    }
    if (off != b.length || !named) {
      return null;
    }
    return new Query(b, questionEnd, type, dnsClass, udpSize, edns, dnssecOk);
  }
}
