package org.schoolgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision path's look-up of who is on an address. */
class IdentityMapTest {
  static final List<String> GROUPS = List.of("pupils", "staff", "office");

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** The look-up keys IPv4 by {@code hashCode()} without copying bytes: that must stay the address itself. */
  @Test
  void anIpv4AddressHashCodeIsTheAddress() throws Exception {
    for (String s : List.of("10.10.0.5", "255.255.255.255", "0.0.0.0", "127.0.10.7", "192.168.1.200")) {
      Inet4Address a = (Inet4Address) ip(s);
      assertEquals(ByteBuffer.wrap(a.getAddress()).getInt(), IdentityMap.v4(a), s);
    }
  }

  @Test
  void findsUsersAndGroupsByIpv4AndIpv6() {
    IdentityMap m = new IdentityMap(List.of(
        new IdentityMap.Entry(ip("10.10.0.5"), "jo@staff.example", "staff"),
        new IdentityMap.Entry(ip("fd00:10::5"), "jo@staff.example", "staff"),
        new IdentityMap.Entry(ip("10.10.0.6"), "someone@elsewhere", null)), GROUPS);
    assertEquals(1, m.group(ip("10.10.0.5")));
    assertEquals("jo@staff.example", m.user(ip("10.10.0.5")));
    assertEquals(1, m.group(ip("fd00:10:0:0::5")));
    assertEquals(-1, m.group(ip("10.10.0.6")), "a user no rule matches keeps the network's group");
    assertEquals("someone@elsewhere", m.user(ip("10.10.0.6")));
    assertEquals(-1, m.group(ip("10.10.0.7")));
    assertNull(m.user(ip("10.10.0.7")));
    assertNull(IdentityMap.EMPTY.user(ip("10.10.0.5")));
  }

  @Test
  void thousandsOfNeighbouringAddressesEachFindTheirOwn() {
    List<IdentityMap.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      entries.add(new IdentityMap.Entry(ip("10.10." + (i >> 8) + "." + (i & 255)), "u" + i, GROUPS.get(i % 3)));
    }
    IdentityMap m = new IdentityMap(entries, GROUPS);
    for (int i = 0; i < 5000; i++) {
      InetAddress a = ip("10.10." + (i >> 8) + "." + (i & 255));
      assertEquals("u" + i, m.user(a));
      assertEquals(i % 3, m.group(a));
    }
    assertNull(m.user(ip("10.10.200.1")));
  }
}
