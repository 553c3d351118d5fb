package org.schoolgate.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * MAC addresses of clients on directly attached networks, from the kernel's IPv4 neighbour
 * table ({@code /proc/net/arp}), so that an address reused by DHCP can still be traced to a
 * device. Lookups are a map read (safe on an event loop); a miss asks for a refresh on another
 * thread, at most once a second. Clients behind a router have no entry, and get no MAC.
 */
public final class Neighbours {
  private static final long MIN_REFRESH_NANOS = 1_000_000_000L;

  private final Path table;
  private final Executor executor;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile Map<String, String> macs = Map.of();
  private volatile long lastRefresh = System.nanoTime() - MIN_REFRESH_NANOS;

  public Neighbours(Path table, Executor executor) {
    this.table = table;
    this.executor = executor;
    refresh();
  }

  public static Neighbours system(Executor executor) {
    return new Neighbours(Path.of("/proc/net/arp"), executor);
  }

  /** The MAC for this IPv4 address, or null (and a refresh is requested). */
  public String macOf(String address) {
    String mac = macs.get(address);
    if (mac == null && System.nanoTime() - lastRefresh > MIN_REFRESH_NANOS && refreshing.compareAndSet(false, true)) {
      executor.execute(() -> {
        try {
          refresh();
        } finally {
          refreshing.set(false);
        }
      });
    }
    return mac;
  }

  void refresh() {
    lastRefresh = System.nanoTime();
    if (!Files.isReadable(table)) {
      return;
    }
    try {
      List<String> lines = Files.readAllLines(table);
      Map<String, String> next = new HashMap<>();
      // IP address  HW type  Flags  HW address  Mask  Device
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (f.length >= 4 && !f[3].equals("00:00:00:00:00:00") && !"0x0".equals(f[2])) {
          next.put(f[0], f[3].toLowerCase(java.util.Locale.ROOT));
        }
      }
      macs = Map.copyOf(next);
    } catch (IOException e) {
      // the table is optional: no MACs, nothing else changes
    }
  }
}
