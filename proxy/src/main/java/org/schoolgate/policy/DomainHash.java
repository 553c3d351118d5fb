package org.schoolgate.policy;

import java.util.function.LongPredicate;

/**
 * 64-bit hashes of a host's suffixes, computed right to left so that one pass over the host
 * yields the hash of every label-boundary suffix without allocating substrings.
 */
final class DomainHash {
  static final long FNV_START = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private DomainHash() {}

  /** The hash of a whole (normalised) domain; equal to the suffix hash seen while walking a longer host. */
  static long of(CharSequence domain) {
    long h = FNV_START;
    for (int i = domain.length() - 1; i >= 0; i--) {
      h = step(h, domain.charAt(i));
    }
    return finish(h);
  }

  /** The same hash of a normalised domain held as ASCII bytes {@code [from, to)}: a list file's line, undecoded. */
  static long of(byte[] ascii, int from, int to) {
    long h = FNV_START;
    for (int i = to - 1; i >= from; i--) {
      h = step(h, (char) ascii[i]);
    }
    return finish(h);
  }

  static long step(long h, char c) {
    return (h ^ c) * FNV_PRIME;
  }

  /** Walks the host's label-boundary suffixes (hashed right to left, nothing allocated) until one matches. */
  static boolean anySuffix(String host, LongPredicate matches) {
    long h = FNV_START;
    for (int i = host.length() - 1; i >= 0; i--) {
      char c = host.charAt(i);
      if (c == '.' && matches.test(finish(h))) {
        return true;
      }
      h = step(h, c);
    }
    return matches.test(finish(h));
  }

  /** MurmurHash3's finaliser: spreads FNV's weak low bits (the index's home slot reads the top ones); never returns 0. */
  static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
