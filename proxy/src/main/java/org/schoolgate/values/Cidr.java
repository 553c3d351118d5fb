package org.schoolgate.values;

import java.net.InetAddress;

/** An IPv4 or IPv6 CIDR block. Matching compares raw address bytes, so it allocates nothing per call. */
public final class Cidr {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /** Parses {@code 10.10.0.0/16}, {@code fd00::/8} or a bare address (a /32 or /128). */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addressPart = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = IpLiteral.bytes(addressPart);
    if (bytes == null) {
      throw new IllegalArgumentException('"' + text + "\" is not a CIDR block");
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException('"' + text + "\" is not a CIDR block");
      }
    }
    byte[] network = bytes.clone();
    for (int bit = prefix; bit < max; bit++) {
      network[bit >> 3] &= (byte) ~(0x80 >> (bit & 7));
    }
    return new Cidr(network, prefix, s);
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefix >> 3;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix & 7;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & 0xff);
  }

  /** The block's first usable address: the network address plus one (the address itself for a /32 or /128). */
  public InetAddress firstHost() {
    byte[] a = network.clone();
    if (prefix < a.length * 8 - 1) {
      a[a.length - 1] |= 1;
    }
    try {
      return InetAddress.getByAddress(a);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the two blocks share any address (one contains the other's network). */
  public boolean overlaps(Cidr other) {
    return network.length == other.network.length && (contains(other.network) || other.contains(network));
  }

  @Override
  public String toString() {
    return text;
  }
}
