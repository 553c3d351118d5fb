package org.schoolgate.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The little of RADIUS accounting (RFC 2866) the gateway needs: reading an Accounting-Request,
 * checking its Request Authenticator (MD5 over code, identifier, length, sixteen zero octets, the
 * attributes and the shared secret) and writing the Accounting-Response (its Response
 * Authenticator is MD5 over code, identifier, length, the request's authenticator, its attributes
 * — none here — and the secret). Pure functions over byte arrays: no sockets, no state.
 */
public final class RadiusPacket {
  public static final int ACCOUNTING_REQUEST = 4;
  public static final int ACCOUNTING_RESPONSE = 5;
  /** RFC 2865 section 3: a packet is 20 to 4096 octets. */
  static final int HEADER = 20;
  public static final int MAX = 4096;
  private static final int USER_NAME = 1;
  private static final int NAS_IP_ADDRESS = 4;
  private static final int FRAMED_IP_ADDRESS = 8;
  private static final int NAS_IDENTIFIER = 32;
  private static final int ACCT_STATUS_TYPE = 40;
  private static final int ACCT_SESSION_ID = 44;
  private static final int FRAMED_IPV6_ADDRESS = 168; // RFC 6911

  /** Why a packet was refused, as {@code schoolgate_radius_packets_total{outcome}} counts it. */
  public enum Outcome {
    ACCEPTED("accepted"), BAD_AUTHENTICATOR("bad_authenticator"), UNKNOWN_CLIENT("unknown_client"),
    MALFORMED("malformed"), IGNORED("ignored");

    public final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  /** A packet read: its outcome and, when accepted, what it says. */
  public record Read(Outcome outcome, Accounting accounting) {}

  private RadiusPacket() {}

  /**
   * Reads a datagram from {@code sender}. Checks in this order: the header (malformed), the code
   * (anything but Accounting-Request is ignored), the authenticator (bad_authenticator), then the
   * attributes (malformed): a forged packet is counted as forged whatever it carries.
   */
  public static Read read(byte[] p, byte[] secret, InetAddress sender) {
    if (p.length < HEADER || p.length > MAX) {
      return new Read(Outcome.MALFORMED, null);
    }
    int length = ((p[2] & 0xff) << 8) | (p[3] & 0xff);
    if (length < HEADER || length > p.length) {
      return new Read(Outcome.MALFORMED, null); // octets past length are padding (RFC 2865 3) and ignored
    }
    if ((p[0] & 0xff) != ACCOUNTING_REQUEST) {
      return new Read(Outcome.IGNORED, null);
    }
    if (!verifies(p, length, secret)) {
      return new Read(Outcome.BAD_AUTHENTICATOR, null);
    }
    Accounting a = attributes(p, length, sender);
    return a == null ? new Read(Outcome.MALFORMED, null) : new Read(Outcome.ACCEPTED, a);
  }

  static boolean verifies(byte[] p, int length, byte[] secret) {
    MessageDigest md5 = md5();
    md5.update(p, 0, 4);
    md5.update(new byte[16]);
    md5.update(p, HEADER, length - HEADER);
    md5.update(secret);
    return MessageDigest.isEqual(md5.digest(), Arrays.copyOfRange(p, 4, HEADER));
  }

  /** The attributes, or null when they do not add up to the length or a known one has the wrong size. */
  private static Accounting attributes(byte[] p, int length, InetAddress sender) {
    int status = -1;
    String user = null;
    String session = null;
    String nasIp = null;
    String nasId = null;
    InetAddress v4 = null;
    InetAddress v6 = null;
    int i = HEADER;
    while (i < length) {
      if (i + 2 > length) {
        return null;
      }
      int type = p[i] & 0xff;
      int len = p[i + 1] & 0xff;
      if (len < 2 || i + len > length) {
        return null;
      }
      int v = i + 2;
      int n = len - 2;
      switch (type) {
        case USER_NAME -> user = text(p, v, n);
        case ACCT_SESSION_ID -> session = text(p, v, n);
        case NAS_IDENTIFIER -> nasId = text(p, v, n);
        case ACCT_STATUS_TYPE -> {
          if (n != 4) {
            return null;
          }
          status = ((p[v] & 0xff) << 24) | ((p[v + 1] & 0xff) << 16) | ((p[v + 2] & 0xff) << 8) | (p[v + 3] & 0xff);
        }
        case NAS_IP_ADDRESS, FRAMED_IP_ADDRESS -> {
          if (n != 4) {
            return null;
          }
          InetAddress a = address(p, v, 4);
          if (type == NAS_IP_ADDRESS) {
            nasIp = a.getHostAddress();
          } else {
            v4 = a;
          }
        }
        case FRAMED_IPV6_ADDRESS -> {
          if (n != 16) {
            return null;
          }
          v6 = address(p, v, 16);
        }
        default -> { } // every other attribute is of no use here
      }
      i += len;
    }
    if (status < 0) {
      return null; // RFC 2866 5.1: every Accounting-Request carries Acct-Status-Type
    }
    String nas = nasIp != null ? nasIp : nasId != null ? "id:" + nasId : sender.getHostAddress();
    return new Accounting(status, user, v4, v6, session, nas);
  }

  /** UTF-8 text with control characters replaced: user names are shown on pages, logs and alerts. */
  private static String text(byte[] p, int from, int n) {
    String s = new String(p, from, n, StandardCharsets.UTF_8).strip();
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }

  private static InetAddress address(byte[] p, int from, int n) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(p, from, from + n));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // 4 or 16 octets are always an address
    }
  }

  /** The Accounting-Response to {@code request} (verified already): no attributes. */
  public static byte[] response(byte[] request, byte[] secret) {
    byte[] r = new byte[HEADER];
    r[0] = ACCOUNTING_RESPONSE;
    r[1] = request[1];
    r[3] = HEADER;
    MessageDigest md5 = md5();
    md5.update(r, 0, 4);
    md5.update(request, 4, 16);
    md5.update(secret);
    System.arraycopy(md5.digest(), 0, r, 4, 16);
    return r;
  }

  /** An Accounting-Request signed with {@code secret}, for tests: header, then the attributes as given. */
  static byte[] request(int id, byte[] attributes, byte[] secret) {
    byte[] p = new byte[HEADER + attributes.length];
    p[0] = ACCOUNTING_REQUEST;
    p[1] = (byte) id;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    System.arraycopy(attributes, 0, p, HEADER, attributes.length);
    MessageDigest md5 = md5();
    md5.update(p);
    md5.update(secret);
    System.arraycopy(md5.digest(), 0, p, 4, 16);
    return p;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is in every JDK", e);
    }
  }
}
