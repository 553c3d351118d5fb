package org.schoolgate.net;

import java.util.Locale;
import java.util.Map;

/**
 * The names people gave devices ({@code PUT /api/devices/{address-or-mac}/name}), keyed by address
 * or by MAC. A look-up is one read of an immutable map, safe on an event loop; the admin side
 * replaces the whole map after each change is committed. A MAC-keyed name wins over an
 * address-keyed one, so a name follows the device when DHCP gives it a new address.
 */
public final class DeviceNames {
  private volatile Map<String, String> names = Map.of();

  /** The device's name, by its MAC (when known) first, then by its address; null when it has none. */
  public String nameOf(String address, String mac) {
    Map<String, String> n = names;
    if (n.isEmpty()) {
      return null;
    }
    String byMac = mac == null ? null : n.get(mac);
    return byMac != null ? byMac : address == null ? null : n.get(address);
  }

  /** Replaces every name at once (keys as {@link #key} writes them). */
  public void replace(Map<String, String> all) {
    names = Map.copyOf(all);
  }

  /** A MAC ({@code aa:bb:cc:dd:ee:ff}, {@code AA-BB-...}) in the neighbour table's form, or null if {@code s} is not one. */
  public static String mac(String s) {
    String m = s.strip().toLowerCase(Locale.ROOT).replace('-', ':');
    return m.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}") ? m : null;
  }
}
