package org.schoolgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.schoolgate.policy.SearchFrontEnds;
import org.schoolgate.policy.YouTubeMode;

/** The front ends shipped in the jar (safe-search.txt): what SPEC section 10 names, and nothing more. */
class ShippedFrontEndsTest {
  static final SearchFrontEnds SHIPPED = ShippedFrontEnds.get();

  @Test
  void theEnginesOfSpecSection10AreShipped() {
    assertEquals(List.of("Google", "Bing", "DuckDuckGo", "YouTube"), List.copyOf(SHIPPED.hostsByEngine().keySet()));
    assertEquals(Set.of("www.bing.com", "bing.com", "cn.bing.com", "www2.bing.com", "edgeservices.bing.com"),
        SHIPPED.hostsByEngine().get("Bing"));
    assertEquals(Set.of("duckduckgo.com", "www.duckduckgo.com", "start.duckduckgo.com", "html.duckduckgo.com",
        "lite.duckduckgo.com"),
        SHIPPED.hostsByEngine().get("DuckDuckGo"));
    assertEquals(Set.of("www.youtube.com", "m.youtube.com", "youtubei.googleapis.com", "youtube.googleapis.com",
        "www.youtube-nocookie.com"), SHIPPED.hostsByEngine().get("YouTube"));
    assertEquals("strict.bing.com", SHIPPED.reroute("bing.com", true, YouTubeMode.OFF).frontEnd());
    assertEquals("safe.duckduckgo.com", SHIPPED.reroute("start.duckduckgo.com", true, YouTubeMode.OFF).frontEnd());
    assertEquals("restrict.youtube.com", SHIPPED.reroute("youtubei.googleapis.com", false, YouTubeMode.STRICT).frontEnd());
    assertEquals("restrictmoderate.youtube.com",
        SHIPPED.reroute("www.youtube-nocookie.com", false, YouTubeMode.MODERATE).frontEnd());
  }

  @Test
  void everyGoogleSearchDomainIsThereWithAndWithoutWww() {
    Set<String> google = SHIPPED.hostsByEngine().get("Google");
    assertEquals(388, google.size(), "194 domains, www. and bare");
    for (String host : google) {
      String bare = host.startsWith("www.") ? host.substring(4) : host;
      assertTrue(bare.startsWith("google."), host);
      assertTrue(google.contains(bare) && google.contains("www." + bare), host + ": both forms");
      assertEquals("forcesafesearch.google.com", SHIPPED.reroute(host, true, YouTubeMode.OFF).frontEnd(), host);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"www.google.com", "www.google.co.uk", "google.co.uk", "www.google.com.au", "www.google.co.za",
      "www.google.cat", "www.google.rs", "www.google.co.in", "www.google.com.br", "www.google.de", "www.google.ie"})
  void commonGoogleDomainsAreCovered(String host) {
    assertEquals("Google", SHIPPED.reroute(host, true, YouTubeMode.OFF).engine());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mail.google.com", "classroom.google.com", "docs.google.com", "drive.google.com",
      "accounts.google.com", "translate.google.com", "www.googleapis.com", "youtube.com", "music.youtube.com",
      "forcesafesearch.google.com", "restrict.youtube.com", "www.bing.co.uk"})
  void otherHostsAreNotTouched(String host) {
    assertNull(SHIPPED.reroute(host, true, YouTubeMode.STRICT));
  }
}
