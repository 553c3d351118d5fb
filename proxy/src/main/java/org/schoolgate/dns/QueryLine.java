package org.schoolgate.dns;

import io.netty.handler.codec.dns.DnsRecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The words of a {@code dns.jsonl} line: a type's name, and an answer as its code and addresses. */
final class QueryLine {
  private static final String[] CODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
  /** At most this many addresses or aliases on a line. */
  private static final int MAX_ITEMS = 8;

  private QueryLine() {}

  static String type(int type) {
    return DnsRecordType.valueOf(type).name(); // the codec's names; TYPE123 style for the ones it does not know
  }

  static String answer(byte[] m) {
    int rcode = Wire.flags(m) & 0xf;
    StringBuilder b = new StringBuilder(rcode < CODES.length ? CODES[rcode] : "RCODE" + rcode);
    if ((Wire.flags(m) & Wire.TC) != 0) {
      b.append(" truncated");
    }
    Records r = Records.of(m);
    int items = 0;
    for (int i = 0; r != null && i < r.count && items < MAX_ITEMS; i++) {
      if (r.section(i) != Records.ANSWER) {
        continue;
      }
      int type = r.type(i);
      try {
        if ((type == Wire.A && r.rdLength(i) == 4) || (type == Wire.AAAA && r.rdLength(i) == 16)) {
          byte[] a = java.util.Arrays.copyOfRange(m, r.rdata(i), r.rdata(i) + r.rdLength(i));
          b.append(' ').append(InetAddress.getByAddress(a).getHostAddress());
          items++;
        } else if (type == Wire.CNAME) {
          b.append(" CNAME ").append(Wire.name(m, r.rdata(i), m.length));
          items++;
        } else {
          b.append(' ').append(type(type));
          items++;
        }
      } catch (UnknownHostException e) {
        // cannot happen for 4 or 16 bytes
      }
    }
    return b.toString();
  }
}
