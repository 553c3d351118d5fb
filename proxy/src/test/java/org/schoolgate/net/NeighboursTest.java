package org.schoolgate.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The neighbour tables (IPv4 from /proc/net/arp, IPv6 from {@code ip -6 neigh}) and the names that follow a MAC. */
class NeighboursTest {
  @Test
  void macsComeFromBothTablesAndIncompleteEntriesAreSkipped(@TempDir Path dir) throws Exception {
    Path arp = dir.resolve("arp");
    Files.writeString(arp, """
        IP address       HW type     Flags       HW address            Mask     Device
        10.10.3.4        0x1         0x2         AA:BB:CC:DD:EE:01     *        eth1
        10.10.3.5        0x1         0x0         00:00:00:00:00:00     *        eth1
        """);
    Neighbours n = new Neighbours(arp, () -> List.of(
        "2001:db8:10::24 dev eth1 lladdr aa:bb:cc:dd:ee:02 REACHABLE",
        "fe80::1%eth1 dev eth1 lladdr AA:BB:CC:DD:EE:03 router STALE",
        "2001:db8:10::25 dev eth1 FAILED"), Runnable::run);
    assertEquals("aa:bb:cc:dd:ee:01", n.macOf("10.10.3.4"));
    assertNull(n.macOf("10.10.3.5"));
    assertEquals("aa:bb:cc:dd:ee:02", n.macOf("2001:db8:10:0:0:0:0:24"));
    assertEquals("aa:bb:cc:dd:ee:03", n.macOf("fe80:0:0:0:0:0:0:1"));
    assertNull(n.macOf("2001:db8:10:0:0:0:0:25"));
  }

  @Test
  void aNameGivenToAMacFollowsTheDeviceToANewAddressAndWinsOverTheAddresssName() {
    DeviceNames names = new DeviceNames();
    names.replace(Map.of("aa:bb:cc:dd:ee:01", "Y5 iPad 12", "10.10.3.4", "Library PC 3"));
    assertEquals("Y5 iPad 12", names.nameOf("10.10.9.9", "aa:bb:cc:dd:ee:01"), "a new address, the same MAC");
    assertEquals("Y5 iPad 12", names.nameOf("10.10.3.4", "aa:bb:cc:dd:ee:01"));
    assertEquals("Library PC 3", names.nameOf("10.10.3.4", null));
    assertNull(names.nameOf("10.10.3.5", null));
    assertEquals("aa:bb:cc:dd:ee:01", DeviceNames.mac("AA-BB-CC-DD-EE-01"));
    assertNull(DeviceNames.mac("10.10.3.4"));
  }
}
