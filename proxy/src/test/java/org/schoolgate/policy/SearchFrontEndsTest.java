package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text format of the shipped front ends: sections, exact hosts, and problems named by line. */
class SearchFrontEndsTest {
  static final List<String> TEXT = List.of(
      "# a comment",
      "safe_search Google forcesafesearch.google.com   # Google's own words",
      "www.google.co.uk google.co.uk",
      "",
      "safe_search Bing strict.bing.com",
      "www.bing.com",
      "youtube YouTube strict=restrict.youtube.com moderate=restrictmoderate.youtube.com",
      "www.youtube.com m.youtube.com");

  @Test
  void eachSettingGetsItsOwnSectionsAndHostsMatchExactly() {
    SearchFrontEnds f = SearchFrontEnds.parse(TEXT);
    assertEquals("forcesafesearch.google.com", f.reroute("www.google.co.uk", true, YouTubeMode.OFF).frontEnd());
    assertEquals("strict.bing.com", f.reroute("www.bing.com", true, YouTubeMode.STRICT).frontEnd());
    assertNull(f.reroute("www.google.co.uk", false, YouTubeMode.STRICT), "youtube alone is not safe search");
    assertNull(f.reroute("mail.google.co.uk", true, YouTubeMode.STRICT));
    assertNull(f.reroute("co.uk", true, YouTubeMode.STRICT));
    assertEquals("restrict.youtube.com", f.reroute("m.youtube.com", false, YouTubeMode.STRICT).frontEnd());
    assertEquals("restrictmoderate.youtube.com", f.reroute("m.youtube.com", true, YouTubeMode.MODERATE).frontEnd());
    assertNull(f.reroute("m.youtube.com", true, YouTubeMode.OFF));
    assertNull(f.forGroup(false, YouTubeMode.OFF), "a group that enforces nothing looks nothing up");
    assertEquals(List.of("Google", "Bing", "YouTube"), List.copyOf(f.hostsByEngine().keySet()));
    assertEquals(Set.of("www.google.co.uk", "google.co.uk"), f.hostsByEngine().get("Google"));
  }

  @Test
  void oneRerouteObjectPerFrontEndSoALookupAllocatesNothing() {
    SearchFrontEnds f = SearchFrontEnds.parse(TEXT);
    assertSame(f.reroute("google.co.uk", true, YouTubeMode.OFF), f.reroute("www.google.co.uk", true, YouTubeMode.STRICT));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "www.example.org                                       | line 1: host names before any \"safe_search\" or \"youtube\" line",
      "safe_search Google                                    | line 1: write it as: safe_search ENGINE FRONT-END",
      "safe_search Google Forcesafesearch.google.com         | line 1: \"Forcesafesearch.google.com\" is not a host name written in lower case",
      "youtube YouTube strict=restrict.youtube.com           | line 1: write it as: youtube ENGINE strict=FRONT-END moderate=FRONT-END",
      "youtube YouTube strict=a.example strict=b.example     | line 1: write it as: youtube ENGINE strict=FRONT-END moderate=FRONT-END",
      "safe_search Bing strict.bing.com                      | line 1: the section for Bing lists no hosts",
  })
  void aBadLineIsNamed(String line, String problem) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchFrontEnds.parse(List.of(line)));
    assertEquals(problem, e.getMessage());
  }

  @Test
  void aHostListedTwiceOrAnIpAddressIsNamedWithItsLine() {
    assertEquals("line 4: www.bing.com is already listed on line 2", assertThrows(IllegalArgumentException.class,
        () -> SearchFrontEnds.parse(List.of("safe_search Bing strict.bing.com", "www.bing.com",
            "safe_search Other safe.other.example", "www.bing.com"))).getMessage());
    assertEquals("line 2: \"142.250.1.1\" is not a host name written in lower case", assertThrows(
        IllegalArgumentException.class, () -> SearchFrontEnds.parse(List.of("safe_search Bing strict.bing.com",
            "142.250.1.1"))).getMessage());
    assertEquals("line 3: a second section for Bing", assertThrows(IllegalArgumentException.class,
        () -> SearchFrontEnds.parse(List.of("safe_search Bing strict.bing.com", "www.bing.com",
            "safe_search Bing strict.bing.com", "bing.com"))).getMessage());
  }
}
