package org.schoolgate.policy;

import java.util.Arrays;
import java.util.Collection;

/**
 * An immutable set of domains, each with a small payload, stored as 64-bit hashes in an
 * open-addressing table: 10 bytes a slot, about 20 bytes a domain, so two million domains
 * fit in 40 MiB. Lookups take a precomputed suffix hash and allocate nothing.
 *
 * <p>A false match needs two different domains with the same 64-bit hash: about one in
 * 10^13 lookups against a two-million-entry list. That is accepted for the memory it saves.
 */
public final class DomainIndex {
  public static final DomainIndex EMPTY = new Builder().build();

  private final long[] hashes;
  private final char[] payloads;
  private final int mask;
  private final int size;

  private DomainIndex(long[] hashes, char[] payloads, int size) {
    this.hashes = hashes;
    this.payloads = payloads;
    this.mask = hashes.length - 1;
    this.size = size;
  }

  /** The domains (normalised), each with payload 0. */
  static DomainIndex of(Collection<String> domains) {
    Builder b = new Builder();
    for (String d : domains) {
      b.add(d, 0);
    }
    return b.build();
  }

  public int size() {
    return size;
  }

  /** Payload for the domain with this hash, or -1. */
  int get(long hash) {
    int i = (int) (hash ^ (hash >>> 32)) & mask;
    while (true) {
      long h = hashes[i];
      if (h == hash) {
        return payloads[i];
      }
      if (h == 0) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  public int get(String domain) {
    return get(DomainHash.of(domain));
  }

  public boolean contains(String domain) {
    return get(domain) >= 0;
  }

  /** Heap bytes held by the table, for the performance report. */
  public long footprintBytes() {
    return (long) hashes.length * 10;
  }

  /** Collects (hash, payload) pairs; a domain added twice keeps {@code merge(old, new)} of its payloads. */
  public static final class Builder {
    private long[] hashes = new long[1024];
    private char[] payloads = new char[1024];
    private int count;

    public Builder add(String domain, int payload) {
      return add(DomainHash.of(domain), payload);
    }

    Builder add(long hash, int payload) {
      if (payload < 0 || payload > Character.MAX_VALUE) {
        throw new IllegalArgumentException("payload out of range: " + payload);
      }
      if (count == hashes.length) {
        hashes = Arrays.copyOf(hashes, count * 2);
        payloads = Arrays.copyOf(payloads, count * 2);
      }
      hashes[count] = hash;
      payloads[count] = (char) payload;
      count++;
      return this;
    }

    public int count() {
      return count;
    }

    /**
     * Makes room for {@code more} further entries at once: a reload of a two-million-domain list
     * then allocates its arrays once instead of doubling them a dozen times (each copy a large
     * array for the collector to find).
     */
    public Builder expect(int more) {
      long want = (long) count + Math.max(0, more);
      if (want > hashes.length) {
        int n = (int) Math.min(Integer.MAX_VALUE - 8, want);
        hashes = Arrays.copyOf(hashes, n);
        payloads = Arrays.copyOf(payloads, n);
      }
      return this;
    }

    public DomainIndex build() {
      return build((a, b) -> b);
    }

    public DomainIndex build(java.util.function.IntBinaryOperator merge) {
      int need = (int) Math.ceil(Math.max(16, count) / 0.55);
      int capacity = Integer.highestOneBit(need - 1) << 1; // smallest power of two >= need
      long[] table = new long[capacity];
      char[] values = new char[capacity];
      int m = capacity - 1;
      int size = 0;
      for (int k = 0; k < count; k++) {
        long hash = hashes[k];
        int i = (int) (hash ^ (hash >>> 32)) & m;
        while (table[i] != 0 && table[i] != hash) {
          i = (i + 1) & m;
        }
        if (table[i] == hash) {
          values[i] = (char) merge.applyAsInt(values[i], payloads[k]);
        } else {
          table[i] = hash;
          values[i] = payloads[k];
          size++;
        }
      }
      return new DomainIndex(table, values, size);
    }
  }
}
