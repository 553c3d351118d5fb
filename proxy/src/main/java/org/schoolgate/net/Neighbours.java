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
 * table ({@code /proc/net/arp}) and its IPv6 one ({@code ip -6 neigh show}: the kernel has no
 * /proc file for it), so that an address reused by DHCP or SLAAC can still be traced to a
 * device. Lookups are a map read (safe on an event loop); a miss asks for a refresh on another
 * thread, at most once a second. Clients behind a router have no entry, and get no MAC. The IPv6
 * table costs a process, so it is read again only after a miss for an IPv6 address: a stream of
 * routed IPv4 clients re-reads /proc only.
 */
public final class Neighbours {
  private static final long MIN_REFRESH_NANOS = 1_000_000_000L;

  private final Path table;
  /** The IPv6 table's lines ({@code ADDRESS dev IF lladdr MAC STATE}); empty when there is none. */
  private final java.util.function.Supplier<List<String>> ipv6;
  private final Executor executor;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile Map<String, String> macs = Map.of();
  private volatile long lastRefresh = System.nanoTime() - MIN_REFRESH_NANOS;
  /** An IPv6 address was missed since the last refresh (and at start): the next one runs {@code ip -6 neigh}. */
  private volatile boolean ipv6Missed = true;

  public Neighbours(Path table, Executor executor) {
    this(table, List::of, executor);
  }

  public Neighbours(Path table, java.util.function.Supplier<List<String>> ipv6, Executor executor) {
    this.table = table;
    this.ipv6 = ipv6;
    this.executor = executor;
    refresh();
  }

  public static Neighbours system(Executor executor) {
    return new Neighbours(Path.of("/proc/net/arp"), Neighbours::ipNeighbours, executor);
  }

  /** {@code ip -6 neigh show}, when iproute2 is there; nothing otherwise. Runs on the refresh thread only. */
  static List<String> ipNeighbours() {
    Path ip = Files.isExecutable(Path.of("/usr/sbin/ip")) ? Path.of("/usr/sbin/ip")
        : Files.isExecutable(Path.of("/sbin/ip")) ? Path.of("/sbin/ip") : null;
    if (ip == null) {
      return List.of();
    }
    try {
      Process p = new ProcessBuilder(ip.toString(), "-6", "neigh", "show").redirectErrorStream(true).start();
      List<String> lines;
      try (var in = p.getInputStream()) {
        lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
      }
      return p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0 ? lines : List.of();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /** The MAC for this address (IPv4, or IPv6 as {@code getHostAddress} writes it), or null (and a refresh is requested). */
  public String macOf(String address) {
    String mac = macs.get(address);
    if (mac == null && address.indexOf(':') >= 0) {
      ipv6Missed = true;
    }
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
    Map<String, String> next = new HashMap<>();
    boolean readIpv6 = ipv6Missed;
    ipv6Missed = false; // before reading: a miss meanwhile asks again
    if (!readIpv6) {
      macs.forEach((address, mac) -> {
        if (address.indexOf(':') >= 0) {
          next.put(address, mac); // the IPv6 entries as last read
        }
      });
    }
    List<String> ipv6Lines = readIpv6 ? ipv6.get() : List.of();
    // ADDRESS dev IF lladdr MAC STATE (FAILED and INCOMPLETE entries have no lladdr)
    for (String line : ipv6Lines) {
      String[] f = line.trim().split("\\s+");
      for (int i = 1; i + 1 < f.length; i++) {
        if (f[i].equals("lladdr")) {
          java.net.InetAddress a = org.schoolgate.values.HostSyntax.ipAddress(f[0].replaceFirst("%.*$", ""));
          if (a != null) {
            next.put(a.getHostAddress(), f[i + 1].toLowerCase(java.util.Locale.ROOT));
          }
        }
      }
    }
    if (!Files.isReadable(table)) {
      macs = Map.copyOf(next);
      return;
    }
    try {
      List<String> lines = Files.readAllLines(table);
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
