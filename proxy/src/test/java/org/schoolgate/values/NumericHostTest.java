package org.schoolgate.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The WHATWG URL "ends in a number" check and IPv4 parser, on the spellings browsers accept. */
class NumericHostTest {

  @ParameterizedTest(name = "{0} ends in a number")
  @ValueSource(strings = {"2130706433", "127.1", "0x7f.1", "0x7f000001", "example.123", "a.0x", "a.0xff", "1.2.3.4.5",
      "999.1", "09"})
  void aLastLabelOfDigitsOrHexEndsInANumber(String host) {
    assertTrue(NumericHost.endsInNumber(host));
  }

  @ParameterizedTest(name = "{0} is a name")
  @ValueSource(strings = {"example.com", "1e100.net", "a1", "123.a1", "deadbeef", "school.0x1g", "x.0xg", "127.0.0.1."})
  void anythingElseIsAName(String host) {
    assertFalse(NumericHost.endsInNumber(host));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "2130706433,        127.0.0.1",
      "0x7f000001,        127.0.0.1",
      "0x7F000001,        127.0.0.1",
      "0x7f.1,            127.0.0.1",
      "127.1,             127.0.0.1",
      "127.0.1,           127.0.0.1",
      "0177.0.0.1,        127.0.0.1",
      "0x7f.0.0x0.01,     127.0.0.1",
      "10.0x10.0xffff,    10.16.255.255",
      "192.168.257,       192.168.1.1",
      "4294967295,        255.255.255.255",
      "0,                 0.0.0.0",
      "0x,                0.0.0.0",
      "00,                0.0.0.0",
      "010.0.0.1,         8.0.0.1",
      "0x000000000000000000007f.1, 127.0.0.1",
  })
  void browsersReadTheseAsTheseAddresses(String host, String address) {
    assertEquals(address, NumericHost.canonical(host));
  }

  @ParameterizedTest(name = "{0} is no address")
  @ValueSource(strings = {"1.2.3.4.5", "999.1", "256.0.0.1", "1.256.0.1", "1.2.65536", "1.16777216", "4294967296",
      "0x100000000", "99999999999999999999999", "09", "1.2.3.08", "0x1g.1", "example.123", "a..1", "1..1", ".1",
      "1.2.3.-4", "+1.2.3.4", "\u0661.2.3.4"})
  void aPartThatIsNoNumberOrOutOfRangeIsNoAddress(String host) {
    assertNull(NumericHost.canonical(host));
  }

  @Test
  void aDottedQuadIsReturnedAsItIs() {
    String host = "10.20.30.40";
    assertSame(host, NumericHost.canonical(host));
  }
}
