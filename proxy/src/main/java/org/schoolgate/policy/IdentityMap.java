package org.schoolgate.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is on which address now (RADIUS accounting, SPEC 15), compiled for the decision path: an
 * immutable open-addressing table keyed by the IPv4 address as an {@code int}, and a map for IPv6.
 * A look-up takes no lock and allocates nothing; a change builds a new map that replaces this one
 * in the next {@link Policy} snapshot.
 */
public final class IdentityMap {
  public static final IdentityMap EMPTY = new IdentityMap(List.of(), List.of());

  /** One identified address: its user, and the number of the group its user's rule gives (-1: its network's). */
  public record Entry(InetAddress address, String user, String group) {}

  private final int[] v4Keys;
  /** Index into {@link #users}/{@link #groups} plus one; 0 is an empty slot. */
  private final int[] v4Slots;
  private final int mask;
  private final Map<InetAddress, Integer> v6;
  private final String[] users;
  private final int[] groups;
  private final List<Entry> entries;

  /** @param groupNames the policy's groups in their order ({@link GroupIndex}'s numbers) */
  public IdentityMap(List<Entry> entries, List<String> groupNames) {
    this.entries = List.copyOf(entries);
    this.users = new String[entries.size()];
    this.groups = new int[entries.size()];
    int size = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1)) << 1;
    this.v4Keys = new int[size];
    this.v4Slots = new int[size];
    this.mask = size - 1;
    Map<InetAddress, Integer> six = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      users[i] = e.user();
      groups[i] = e.group() == null ? -1 : groupNames.indexOf(e.group());
      if (e.address() instanceof Inet4Address a) {
        int key = v4(a);
        int s = mix(key) & mask;
        while (v4Slots[s] != 0 && v4Keys[s] != key) {
          s = (s + 1) & mask;
        }
        v4Keys[s] = key;
        v4Slots[s] = i + 1;
      } else {
        six.put(e.address(), i);
      }
    }
    this.v6 = Map.copyOf(six);
  }

  /** The address as an int, without copying its bytes: {@link Inet4Address#hashCode} is the address (checked by a test). */
  static int v4(Inet4Address a) {
    return a.hashCode();
  }

  private static int mix(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private int index(InetAddress client) {
    if (entries.isEmpty()) {
      return -1;
    }
    if (client instanceof Inet4Address a) {
      int key = v4(a);
      int s = mix(key) & mask;
      int slot;
      while ((slot = v4Slots[s]) != 0) {
        if (v4Keys[s] == key) {
          return slot - 1;
        }
        s = (s + 1) & mask;
      }
      return -1;
    }
    Integer i = v6.get(client);
    return i == null ? -1 : i;
  }

  /** The number of the group the client's user gives it, or -1 (unidentified, or its user matches no rule). */
  int group(InetAddress client) {
    int i = index(client);
    return i < 0 ? -1 : groups[i];
  }

  /** Whether the client's group is its user's (identified, and a rule of {@code identity.users} matches). */
  public boolean grouped(InetAddress client) {
    return group(client) >= 0;
  }

  /** The user on the client's address, or null. */
  public String user(InetAddress client) {
    int i = index(client);
    return i < 0 ? null : users[i];
  }

  public List<Entry> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }
}
