package org.schoolgate.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leaves of the HTTPS block page: name, issuer, lifetime, purpose, and one key for all. */
class LeafMinterTest {
  static final Instant NOW = Instant.parse("2026-11-23T11:00:00Z");
  static final SchoolCa CA = SchoolCa.create("test school CA", Clock.systemUTC());
  final LeafMinter minter = new LeafMinter(CA, Clock.fixed(NOW, ZoneOffset.UTC));

  private static List<List<?>> sans(X509Certificate c) throws Exception {
    Collection<List<?>> all = c.getSubjectAlternativeNames();
    return List.copyOf(all);
  }

  @Test
  void aLeafNamesTheHostIsSignedByTheCaAndLastsAtMostSevenDays() throws Exception {
    X509Certificate leaf = minter.mint("www.facebook.com");
    leaf.verify(CA.certificate().getPublicKey());
    assertEquals(CA.certificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
    assertEquals("CN=www.facebook.com", leaf.getSubjectX500Principal().getName());
    assertEquals(List.of(List.of(2, "www.facebook.com")), sans(leaf)); // 2: dNSName
    Duration life = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    assertTrue(life.compareTo(Duration.ofDays(7)) <= 0, life::toString);
    assertTrue(leaf.getNotBefore().toInstant().isBefore(NOW), "a slow device clock still accepts it");
    assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage(), "TLS server only");
  }

  @Test
  void anIpLiteralGetsAnIpSan() throws Exception {
    assertEquals(List.of(List.of(7, "93.184.216.34")), sans(minter.mint("93.184.216.34"))); // 7: iPAddress
    assertEquals(7, sans(minter.mint("2001:db8::1")).get(0).get(0));
    assertEquals(7, sans(minter.mint("[2001:db8::1]")).get(0).get(0));
  }

  @Test
  void everyLeafCarriesTheOneKeyMadeAtStartAndItsOwnSerial() {
    X509Certificate a = minter.mint("a.example");
    X509Certificate b = minter.mint("b.example");
    assertEquals(a.getPublicKey(), b.getPublicKey());
    assertTrue(!a.getSerialNumber().equals(b.getSerialNumber()));
  }

  @Test
  void aNameLongerThanACommonNameMayBeIsInTheSanAlone() throws Exception {
    String host = "a".repeat(60) + ".example.org";
    X509Certificate leaf = minter.mint(host);
    assertEquals("", leaf.getSubjectX500Principal().getName());
    assertEquals(List.of(List.of(2, host)), sans(leaf));
    assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.17"), "SAN critical with an empty subject");
  }
}
