package org.schoolgate.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reading Accounting-Requests and writing Accounting-Responses (RFC 2866) on bytes built here. */
class RadiusPacketTest {
  static final byte[] SECRET = "testing123".getBytes(StandardCharsets.US_ASCII);
  static final InetAddress SENDER = address("127.0.0.1");

  static InetAddress address(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Attributes: each pair is (type, value bytes). */
  static byte[] attrs(Object... typeAndValue) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < typeAndValue.length; i += 2) {
      int type = (Integer) typeAndValue[i];
      Object v = typeAndValue[i + 1];
      byte[] value = v instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
          : v instanceof Integer n ? new byte[] {(byte) (n >> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) (int) n}
          : v instanceof InetAddress a ? a.getAddress() : (byte[]) v;
      out.write(type);
      out.write(value.length + 2);
      out.writeBytes(value);
    }
    return out.toByteArray();
  }

  static byte[] start(String user, String ip, String session) {
    return RadiusPacket.request(7, attrs(40, 1, 1, user, 8, address(ip), 44, session), SECRET);
  }

  @Test
  void aSignedStartIsAcceptedWithWhatItSays() {
    RadiusPacket.Read r = RadiusPacket.read(start("Jo.Smith@staff.example", "10.10.0.5", "s1"), SECRET, SENDER);
    assertEquals(RadiusPacket.Outcome.ACCEPTED, r.outcome());
    assertEquals(new Accounting(1, "Jo.Smith@staff.example", address("10.10.0.5"), null, "s1", "127.0.0.1"), r.accounting());
  }

  @Test
  void ipv6NasAddressAndNasIdentifierAreRead() {
    byte[] p = RadiusPacket.request(1, attrs(40, 3, 1, "ann", 168, address("fd00:10::7"), 4, address("10.0.0.2"),
        32, "ap-hall"), SECRET);
    Accounting a = RadiusPacket.read(p, SECRET, SENDER).accounting();
    assertEquals(address("fd00:10::7"), a.ipv6());
    assertEquals("10.0.0.2", a.nas(), "NAS-IP-Address names the equipment before NAS-Identifier");
    byte[] q = RadiusPacket.request(1, attrs(40, 7, 32, "ap-hall"), SECRET);
    assertEquals("id:ap-hall", RadiusPacket.read(q, SECRET, SENDER).accounting().nas());
  }

  @Test
  void theWrongSecretOrOneChangedOctetIsABadAuthenticator() {
    byte[] p = start("jo", "10.10.0.5", "s1");
    assertEquals(RadiusPacket.Outcome.BAD_AUTHENTICATOR,
        RadiusPacket.read(p, "other".getBytes(StandardCharsets.US_ASCII), SENDER).outcome());
    byte[] changed = p.clone();
    changed[changed.length - 1] ^= 1; // the session id, after signing
    assertEquals(RadiusPacket.Outcome.BAD_AUTHENTICATOR, RadiusPacket.read(changed, SECRET, SENDER).outcome());
  }

  @Test
  void brokenPacketsAreMalformedAndOtherCodesIgnored() {
    byte[] good = start("jo", "10.10.0.5", "s1");
    assertEquals(RadiusPacket.Outcome.MALFORMED, RadiusPacket.read(new byte[19], SECRET, SENDER).outcome());
    assertEquals(RadiusPacket.Outcome.MALFORMED, RadiusPacket.read(Arrays.copyOf(good, good.length - 1), SECRET, SENDER)
        .outcome(), "shorter than its length field");
    assertEquals(RadiusPacket.Outcome.MALFORMED, RadiusPacket.read(new byte[4097], SECRET, SENDER).outcome());
    byte[] badAttribute = RadiusPacket.request(1, new byte[] {40, 6, 0, 0, 0, 1, 1, 9, 'a'}, SECRET);
    assertEquals(RadiusPacket.Outcome.MALFORMED, RadiusPacket.read(badAttribute, SECRET, SENDER).outcome(),
        "an attribute longer than the packet");
    byte[] noStatus = RadiusPacket.request(1, attrs(1, "jo"), SECRET);
    assertEquals(RadiusPacket.Outcome.MALFORMED, RadiusPacket.read(noStatus, SECRET, SENDER).outcome());
    byte[] shortAddress = RadiusPacket.request(1, attrs(40, 1, 8, new byte[] {10, 0, 0}), SECRET);
    assertEquals(RadiusPacket.Outcome.MALFORMED, RadiusPacket.read(shortAddress, SECRET, SENDER).outcome());
    byte[] accessRequest = good.clone();
    accessRequest[0] = 1;
    assertEquals(RadiusPacket.Outcome.IGNORED, RadiusPacket.read(accessRequest, SECRET, SENDER).outcome());
  }

  @Test
  void controlCharactersInAUserNameAreMadeInert() {
    Accounting a = RadiusPacket.read(start("jo\n\u0007x", "10.10.0.5", "s1"), SECRET, SENDER).accounting();
    assertEquals("jo??x", a.user());
    assertNull(a.ipv6());
  }

  @Test
  void theResponseAuthenticatorIsMd5OverTheResponseTheRequestsAuthenticatorAndTheSecret() throws Exception {
    byte[] request = start("jo", "10.10.0.5", "s1");
    byte[] response = RadiusPacket.response(request, SECRET);
    assertEquals(20, response.length);
    assertEquals(5, response[0]);
    assertEquals(request[1], response[1]);
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update(new byte[] {5, request[1], 0, 20});
    md5.update(request, 4, 16);
    md5.update(SECRET);
    assertArrayEquals(md5.digest(), Arrays.copyOfRange(response, 4, 20));
  }
}
