package org.schoolgate.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebAddressTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "https://www.facebook.com/groups/x?y=1 | https | www.facebook.com     | /groups/x?y=1",
      "HTTP://Example.ORG:8080                | http  | Example.ORG:8080     | ''",
      "http://user:pw@evil.example@bbc.co.uk/ | http  | bbc.co.uk            | /",
      "www.bbc.co.uk/news                     | -     | www.bbc.co.uk        | /news",
      "http://example.org?q=1                 | http  | example.org          | ?q=1",
      "http://[2001:db8::1]:8443/a            | http  | [2001:db8::1]:8443   | /a",
      "1http://x/                             | -     | 1http:               | //x/"})
  void splitsAURLIntoSchemeAuthorityAndPath(String url, String scheme, String authority, String path) {
    WebAddress a = WebAddress.parse(url);
    assertEquals(scheme, a.scheme());
    assertEquals(authority, a.authority());
    assertEquals(path, a.path());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "example.org          | example.org    | -",
      "example.org:8080     | example.org    | 8080",
      "[2001:db8::1]        | [2001:db8::1]  | -",
      "[2001:db8::1]:443    | [2001:db8::1]  | 443",
      "example.org:         | example.org    | ''"})
  void splitsAnAuthorityIntoHostAndPort(String authority, String host, String port) {
    WebAddress.Authority a = WebAddress.Authority.split(authority);
    assertEquals(host, a.host());
    assertEquals(port, a.port());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"[2001:db8::1", "[2001:db8::1]x", "[::1]443"})
  void aBracketThatDoesNotCloseOrIsFollowedByJunkIsNoAuthority(String authority) {
    assertNull(WebAddress.Authority.split(authority));
  }
}
