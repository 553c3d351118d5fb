package org.schoolgate.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // literals only: never a DNS lookup
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
      "10.10.0.0/16,    10.10.0.0,        true",
      "10.10.0.0/16,    10.10.255.255,    true",
      "10.10.0.0/16,    10.11.0.0,        false",
      "10.10.0.0/16,    10.9.255.255,     false",
      "10.30.0.0/24,    10.30.0.200,      true",
      "10.30.0.0/24,    10.30.1.0,        false",
      "10.0.0.0/12,     10.15.255.255,    true",   // prefix inside a byte
      "10.0.0.0/12,     10.16.0.0,        false",
      "192.168.1.128/25, 192.168.1.128,   true",
      "192.168.1.128/25, 192.168.1.127,   false",
      "0.0.0.0/0,       255.255.255.255,  true",
      "0.0.0.0/0,       0.0.0.0,          true",
      "10.1.2.3/32,     10.1.2.3,         true",
      "10.1.2.3/32,     10.1.2.4,         false",
      "10.1.2.3,        10.1.2.3,         true",    // bare address is a /32
      "10.1.2.3,        10.1.2.2,         false",
      "fd00::/8,        fd12:3456::1,     true",
      "fd00::/8,        fe80::1,          false",
      "2001:db8::/32,   2001:db8:ffff::1, true",
      "2001:db8::/32,   2001:db9::1,      false",
      "2001:db8::/33,   2001:db8:7fff::1, true",
      "2001:db8::/33,   2001:db8:8000::1, false",
      "::/0,            ::1,              true",
      "::/0,            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
      "::1/128,         ::1,              true",
      "::1/128,         ::2,              false",
      "::1,             ::1,              true",    // bare address is a /128
  })
  void containsAddressesInsideTheBlockOnly(String block, String address, boolean expected) {
    assertEquals(expected, Cidr.parse(block).contains(ip(address)));
  }

  @ParameterizedTest(name = "{0} contains {1}")
  @CsvSource({
      "10.10.77.5/16,     10.10.0.1",
      "10.10.77.5/16,     10.10.255.254",
      "192.168.1.200/25,  192.168.1.129",
      "2001:db8::abcd/32, 2001:db8::1",
  })
  void hostBitsBeyondThePrefixAreMaskedOff(String block, String address) {
    assertTrue(Cidr.parse(block).contains(ip(address)));
  }

  @ParameterizedTest(name = "{0} never contains {1}")
  @CsvSource({
      "::/0,               10.10.0.1",
      "::/0,               0.0.0.0",
      "fd00::/8,           10.10.0.1",
      "::ffff:0:0/96,      10.10.0.1",
      "0.0.0.0/0,          ::1",
      "0.0.0.0/0,          fd00::1",
      "10.10.0.0/16,       fd00::a0a:1",
  })
  void anIpv4AddressNeverMatchesAnIpv6BlockAndViceVersa(String block, String address) {
    assertFalse(Cidr.parse(block).contains(ip(address)));
  }

  @Test
  void containsAcceptsRawAddressBytes() {
    Cidr block = Cidr.parse("10.20.0.0/16");
    assertTrue(block.contains(new byte[] {10, 20, 3, 4}));
    assertFalse(block.contains(new byte[] {10, 21, 3, 4}));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.10.0.0/33", "::/129", "10.10.0.0/-1", "10.10.0.0/", "10.10.0.0/abc",
      "10.10.0/16", "10.10.0.256/16", "example.com/16", "", "fd00:::/8", "10.10.0.0/16/8"})
  void rejectsWhatIsNotACidrBlockNamingIt(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    assertEquals('"' + text + "\" is not a CIDR block", e.getMessage());
  }

  @Test
  void prefix33IsRejectedWithTheSpecMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.10.0.0/33"));
    assertEquals("\"10.10.0.0/33\" is not a CIDR block", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0/0", "10.0.0.0/32", "::/0", "::/128", "fd00::/64"})
  void acceptsPrefixEdges(String text) {
    assertEquals(text, Cidr.parse(text).toString());
  }
}
