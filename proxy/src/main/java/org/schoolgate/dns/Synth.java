package org.schoolgate.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;

/**
 * The answers the guard writes itself: a bare response code (NXDOMAIN for a canary, REFUSED,
 * SERVFAIL, FORMERR), a truncated answer that sends a UDP client to TCP, and safe search's CNAME
 * to the enforced front end followed by the front end's records.
 */
final class Synth {
  /** What the guard's own answers offer as their EDNS payload size (the DNS flag day 2020 value). */
  static final int EDNS_SIZE = 1232;
  /** The TTL of the guard's CNAME to a front end, and of front-end addresses from the hosts file. */
  static final int FRONT_END_TTL = 300;

  private Synth() {}

  /** A response with the question alone and {@code rcode}. */
  static byte[] code(Query q, int rcode) {
    ByteArrayOutputStream out = header(q, rcode, 0);
    return out.toByteArray();
  }

  /** A response to a query that could not be read, when at least its ID could: FORMERR, no question. */
  static byte[] formErr(byte[] packet) {
    byte[] m = new byte[Wire.HEADER];
    m[0] = packet[0];
    m[1] = packet[1];
    Wire.put16(m, 2, Wire.QR | Wire.flags(packet) & Wire.RD | Wire.RA | Wire.FORMERR);
    return m;
  }

  /** Too long for the client's UDP: the header with TC set and the question, so that it asks over TCP. */
  static byte[] truncated(Query q, byte[] answer) {
    byte[] m = new byte[q.questionEnd()];
    System.arraycopy(answer, 0, m, 0, 4);
    Wire.put16(m, 2, Wire.flags(answer) | Wire.TC);
    Wire.put16(m, 4, 1);
    System.arraycopy(q.bytes(), Wire.HEADER, m, Wire.HEADER, q.questionEnd() - Wire.HEADER);
    return m;
  }

  /**
   * Safe search: the question's name is a CNAME to {@code frontEnd}, followed by the front end's
   * own records from {@code frontEndAnswer} (an upstream answer for the front end and the same
   * type; its rcode is the answer's), written without compression.
   */
  static byte[] cname(Query q, String frontEnd, byte[] frontEndAnswer) {
    Records r = frontEndAnswer == null ? null : Records.of(frontEndAnswer);
    int rcode = r == null ? Wire.SERVFAIL : Wire.flags(frontEndAnswer) & 0xf;
    java.util.List<byte[]> records = new java.util.ArrayList<>();
    records.add(cnameRecord(frontEnd));
    if (r != null) {
      for (int i = 0; i < r.count; i++) {
        int type = r.type(i);
        if (r.section(i) != Records.ANSWER
            || !(type == Wire.A || type == Wire.AAAA || type == Wire.CNAME || type == Wire.HTTPS || type == Wire.SVCB)) {
          continue;
        }
        String owner = Wire.name(frontEndAnswer, r.owner(i), frontEndAnswer.length);
        byte[] rdata = type == Wire.CNAME
            ? encode(Wire.name(frontEndAnswer, r.rdata(i), frontEndAnswer.length))
            : java.util.Arrays.copyOfRange(frontEndAnswer, r.rdata(i), r.rdata(i) + r.rdLength(i));
        if (owner == null || rdata == null) {
          continue;
        }
        records.add(record(encode(owner), type, Wire.u32(frontEndAnswer, r.ttlOffset(i)), rdata));
      }
    }
    return withAnswers(q, rcode, records);
  }

  /** Safe search from the hosts file: the CNAME, then the front end's address. */
  static byte[] cname(Query q, String frontEnd, InetAddress address) {
    java.util.List<byte[]> records = new java.util.ArrayList<>();
    records.add(cnameRecord(frontEnd));
    int type = address.getAddress().length == 4 ? Wire.A : Wire.AAAA;
    if (q.type() == type) {
      records.add(record(encode(frontEnd), type, FRONT_END_TTL, address.getAddress()));
    }
    return withAnswers(q, Wire.NOERROR, records);
  }

  /** A query of the guard's own (for a front end's records): recursion desired, no EDNS. */
  static byte[] question(String name, int type, int dnsClass) {
    byte[] n = encode(name);
    if (n == null) {
      return new byte[0];
    }
    byte[] m = new byte[Wire.HEADER + n.length + 4];
    Wire.put16(m, 2, Wire.RD);
    Wire.put16(m, 4, 1);
    System.arraycopy(n, 0, m, Wire.HEADER, n.length);
    Wire.put16(m, Wire.HEADER + n.length, type);
    Wire.put16(m, Wire.HEADER + n.length + 2, dnsClass);
    return m;
  }

  private static byte[] cnameRecord(String frontEnd) {
    byte[] owner = {(byte) 0xc0, Wire.HEADER}; // the question's name
    return record(owner, Wire.CNAME, FRONT_END_TTL, encode(frontEnd));
  }

  private static byte[] withAnswers(Query q, int rcode, java.util.List<byte[]> records) {
    ByteArrayOutputStream out = header(q, rcode, records.size());
    int edns = q.edns() ? 1 : 0;
    byte[] m = out.toByteArray();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(m, 0, q.questionEnd());
    for (byte[] r : records) {
      all.write(r, 0, r.length);
    }
    all.write(m, q.questionEnd(), m.length - q.questionEnd()); // the OPT record, if any
    byte[] result = all.toByteArray();
    Wire.put16(result, 10, edns);
    return result;
  }

  private static byte[] encode(String name) {
    return name == null || name.contains("\\") ? null : Wire.encodeName(name);
  }

  private static byte[] record(byte[] owner, int type, long ttl, byte[] rdata) {
    byte[] r = new byte[owner.length + 10 + rdata.length];
    System.arraycopy(owner, 0, r, 0, owner.length);
    int o = owner.length;
    Wire.put16(r, o, type);
    Wire.put16(r, o + 2, 1);
    Wire.put32(r, o + 4, ttl);
    Wire.put16(r, o + 8, rdata.length);
    System.arraycopy(rdata, 0, r, o + 10, rdata.length);
    return r;
  }

  /** Header, question and (when the query had one) an OPT record; {@code answers} goes in ANCOUNT. */
  private static ByteArrayOutputStream header(Query q, int rcode, int answers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(q.questionEnd() + 11);
    byte[] h = new byte[Wire.HEADER];
    Wire.put16(h, 0, q.id());
    Wire.put16(h, 2, Wire.QR | q.flags() & (Wire.RD | Wire.CD) | Wire.RA | rcode);
    Wire.put16(h, 4, 1);
    Wire.put16(h, 6, answers);
    Wire.put16(h, 10, q.edns() ? 1 : 0);
    out.write(h, 0, h.length);
    out.write(q.bytes(), Wire.HEADER, q.questionEnd() - Wire.HEADER);
    if (q.edns()) {
      out.write(new byte[] {0, 0, Wire.OPT, (byte) (EDNS_SIZE >>> 8), (byte) EDNS_SIZE, 0, 0,
          (byte) (q.dnssecOk() ? 0x80 : 0), 0, 0, 0}, 0, 11);
    }
    return out;
  }
}
