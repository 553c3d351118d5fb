package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  private final ProxyStats stats = new ProxyStats();
  private final List<EmbeddedChannel> open = new ArrayList<>();

  private ConnectionLimits.Client admit(ConnectionLimits limits, String ip) throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel();
    open.add(ch);
    return limits.admit(ch, InetAddress.getByName(ip));
  }

  @Test
  void aClientPastItsLimitIsRefusedAndCountedAgainOnceOneCloses() throws Exception {
    ConnectionLimits limits = new ConnectionLimits(3, 1000, stats);
    for (int i = 0; i < 3; i++) {
      assertNotNull(admit(limits, "10.10.0.1"));
    }
    assertNull(admit(limits, "10.10.0.1"));
    assertNotNull(admit(limits, "10.10.0.2"), "another client is not affected");
    open.get(0).close();
    assertNotNull(admit(limits, "10.10.0.1"), "a closed connection is uncounted");
    assertEquals(1, stats.refusals(ProxyStats.Limit.CONNECTIONS_PER_CLIENT));
  }

  @Test
  void whenCrowdedAClientWithItsFairShareWaitsAndLightClientsStillGetIn() throws Exception {
    ConnectionLimits limits = new ConnectionLimits(256, 100, stats);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < ConnectionLimits.FAIR_SHARE; i++) {
        assertNotNull(admit(limits, "10.10.1." + c));
      }
    }
    // 96 of 100 open: over three quarters, so the heavy clients get no more ...
    assertNull(admit(limits, "10.10.1.0"));
    assertEquals(1, stats.refusals(ProxyStats.Limit.CONNECTIONS_FAIR_SHARE));
    // ... while a device with few connections still does, up to the total
    for (int i = 0; i < 4; i++) {
      assertNotNull(admit(limits, "10.10.2." + i));
    }
    assertNull(admit(limits, "10.10.3.1"), "past the total, nobody");
    assertEquals(1, stats.refusals(ProxyStats.Limit.CONNECTIONS_TOTAL));
  }

  @Test
  void theTotalLeavesAReserveOfDescriptors() {
    assertEquals((20_000 - ConnectionLimits.RESERVE) / 2, ConnectionLimits.totalFor(20_000));
    assertEquals(64, ConnectionLimits.totalFor(300), "never below 64");
  }
}
