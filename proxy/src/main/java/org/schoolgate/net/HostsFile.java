package org.schoolgate.net;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** An /etc/hosts-format file ({@code upstream.hosts_file}), consulted before DNS. First line for a name wins. */
public final class HostsFile {
  public static final HostsFile EMPTY = new HostsFile(Map.of());

  private final Map<String, InetAddress> entries;

  private HostsFile(Map<String, InetAddress> entries) {
    this.entries = entries;
  }

  public static HostsFile load(Path file) throws IOException {
    Map<String, InetAddress> map = new HashMap<>();
    for (String raw : Files.readAllLines(file)) {
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      byte[] bytes = NetUtil.createByteArrayFromIpAddressString(parts[0]);
      if (bytes == null || parts.length < 2) {
        continue;
      }
      InetAddress address;
      try {
        address = InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        continue;
      }
      for (int i = 1; i < parts.length; i++) {
        String name = parts[i].toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
          name = name.substring(0, name.length() - 1);
        }
        map.putIfAbsent(name, address);
      }
    }
    return new HostsFile(Map.copyOf(map));
  }

  public InetAddress get(String host) {
    return entries.get(host);
  }
}
