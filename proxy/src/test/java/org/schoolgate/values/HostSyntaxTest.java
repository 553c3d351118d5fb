package org.schoolgate.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostSyntaxTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "facebook.com,             facebook.com",
      "FaceBook.COM,             facebook.com",
      "facebook.com.,            facebook.com",
      "M.FACEBOOK.COM.,          m.facebook.com",
      "bücher.de,                xn--bcher-kva.de",
      "BÜCHER.de,                xn--bcher-kva.de",
      "bücher.de.,               xn--bcher-kva.de",
      "xn--bcher-kva.de,         xn--bcher-kva.de",
      "www.bücher.de,            www.xn--bcher-kva.de",
      "münchen.example,          xn--mnchen-3ya.example",
      "_dmarc.example.com,       _dmarc.example.com",
      "a-b.example,              a-b.example",
      "localhost,                localhost",
      "1.2.3.4,                  1.2.3.4",
      "'[::1]',                  ::1",
      "'[2001:DB8::1]',          2001:db8::1",
      "'[fd00::a:1]',            fd00::a:1",
      "2001:DB8::1,              2001:db8::1",
  })
  void normalisesToLowerCaseAsciiWithoutTrailingDot(String raw, String expected) {
    assertEquals(expected, HostSyntax.normalise(raw));
  }

  @Test
  void anAlreadyNormalHostIsReturnedAsItIs() {
    String host = "www.example.com";
    assertSame(host, HostSyntax.normalise(host));
  }

  @Test
  void aLabelOf63IsAcceptedAnd64IsNot() {
    String ok = "a".repeat(63) + ".com";
    assertEquals(ok, HostSyntax.normalise(ok));
    assertNull(HostSyntax.normalise("a".repeat(64) + ".com"));
  }

  @Test
  void aNameLongerThan253IsRejected() {
    String label = "a".repeat(60) + ".";
    String name = label.repeat(4) + "example.com"; // 244 + 11 = 255
    assertNull(HostSyntax.normalise(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "face book.com", " facebook.com", "facebook.com ", "a..b.com", ".facebook.com",
      "-facebook.com", "facebook-.com", "www.-x.com", "face/book.com", "http://facebook.com", "facebook.com:443",
      "user@facebook.com", "*.facebook.com", "[facebook.com]", "[::1", "[1::2::3]", "fe80::1%eth0", "a\tb.com"})
  void invalidNamesAreNull(String raw) {
    assertNull(HostSyntax.normalise(raw), () -> "accepted: \"" + raw + "\"");
  }

  /** The non-ASCII (IDN) path must reject the same characters as the ASCII path. */
  @ParameterizedTest
  @ValueSource(strings = {"bü cher.de", "bü/cher.de", "bü:cher.de", "facebook.com\u00a0", "www.bücher.de\u00a0"})
  void nonAsciiNamesHoldingCharactersNoHostNameMayHoldAreNull(String raw) {
    assertNull(HostSyntax.normalise(raw), () -> "accepted: \"" + raw + "\" as \"" + HostSyntax.normalise(raw) + "\"");
  }

  @Test
  void fullWidthLettersFoldToTheirAsciiName() {
    assertEquals("facebook.com", HostSyntax.normalise("\uff46\uff41\uff43\uff45\uff42\uff4f\uff4f\uff4b.com"));
  }

  @ParameterizedTest(name = "{0} -> 127.0.0.1")
  @ValueSource(strings = {"2130706433", "0x7f.1", "0X7F.1", "127.1", "0177.0.0.1", "0x7f000001", "127.0.0.1.", "2130706433.",
      "\uff11\uff12\uff17.\uff10.\uff10.\uff11", "\uff10\uff58\uff17\uff46.\uff11"})
  void hostsEndingInANumberAreTheIpv4AddressBrowsersReadInThem(String raw) {
    assertEquals("127.0.0.1", HostSyntax.normalise(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4.5", "999.1", "256.1.1.1", "09.1.1.1", "example.123", "school.0x1f", "www.example.08",
      "b\u00fccher.123", "127.0.0.1.."})
  void hostsEndingInANumberThatIsNoAddressAreNull(String raw) {
    assertNull(HostSyntax.normalise(raw), () -> "accepted: \"" + raw + "\" as \"" + HostSyntax.normalise(raw) + "\"");
  }

  @Test
  void anAlreadyNormalAddressIsReturnedAsItIs() {
    String host = "10.20.30.40";
    assertSame(host, HostSyntax.normalise(host));
  }

  @Test
  void nullIsNull() {
    assertNull(HostSyntax.normalise(null));
  }

  @ParameterizedTest(name = "isIpLiteral({0}) = {1}")
  @CsvSource({
      "1.2.3.4,          true",
      "0.0.0.0,          true",
      "255.255.255.255,  true",
      "::1,              true",
      "2001:db8::1,      true",
      "::ffff:10.0.0.1,  true",
      "256.1.1.1,        false",
      "1.2.3,            false",
      "1.2.3.4.5,        false",
      "123,              false",
      "example.com,      false",
      "1.2.3.com,        false",
      "'',               false",
      "2001:db8:::1,     false",
  })
  void recognisesIpLiterals(String s, boolean expected) {
    assertEquals(expected, HostSyntax.isIpLiteral(s));
  }
}
