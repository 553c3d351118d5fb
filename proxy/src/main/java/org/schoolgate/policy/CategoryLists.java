package org.schoolgate.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The category lists, compiled: every listed domain maps to the set of categories that list
 * it, a bit mask over at most 63 categories (the 64th bit marks exceptions). Immutable; a
 * reload builds a new one. Held in a {@link DomainIndex}: about 10 bytes a domain.
 */
public final class CategoryLists {
  public static final CategoryLists EMPTY = new Builder(List.of()).build();
  /** Categories a list set can name: the mask's top bit is kept for {@link #EXCEPTION}. */
  public static final int MAX_CATEGORIES = 63;
  /**
   * The category number {@link Builder#add} and {@link Builder#addAscii} take for an exception
   * (never a category's: there are at most 63, numbered from 0).
   */
  public static final int EXCEPTION_INDEX = 63;
  /**
   * The mask bit of a domain that a subscription names as an exception (an allow-type source
   * category). No category has this bit, so a group's block masks never match it; the host
   * walk reads it (a longer exception lifts a list's block, SPEC 13).
   */
  public static final long EXCEPTION = 1L << EXCEPTION_INDEX;

  private final List<String> names;
  private final DomainIndex index;
  private final long[] setMasks;

  private CategoryLists(List<String> names, DomainIndex index, long[] setMasks) {
    this.names = names;
    this.index = index;
    this.setMasks = setMasks;
  }

  /** Category names in bit order. */
  public List<String> names() {
    return names;
  }

  /** The bit of a category, or 0 if no list has that name. */
  public long bit(String category) {
    int i = names.indexOf(category);
    return i < 0 ? 0 : 1L << i;
  }

  public String name(int bitIndex) {
    return names.get(bitIndex);
  }

  public int domainCount() {
    return index.size();
  }

  public long footprintBytes() {
    return index.footprintBytes();
  }

  /** The categories listing the domain with this suffix hash, as a mask; 0 if none. */
  long categoriesOf(long hash) {
    int set = index.get(hash);
    return set < 0 ? 0 : setMasks[set];
  }

  public long categoriesOf(String domain) {
    return categoriesOf(DomainHash.of(domain));
  }

  /** Builds the lists one domain at a time; categories are fixed up front. */
  public static final class Builder {
    private final List<String> names;
    private final DomainIndex.Builder index = new DomainIndex.Builder();

    public Builder(List<String> categories) {
      if (categories.size() > MAX_CATEGORIES) {
        throw new IllegalArgumentException("at most " + MAX_CATEGORIES + " categories can be blocked; "
            + categories.size() + " are in use");
      }
      this.names = List.copyOf(categories);
    }

    /** Makes room for about this many more domains (an estimate; more may still be added). */
    public Builder expect(int domains) {
      index.expect(domains);
      return this;
    }

    /**
     * Adds a normalised domain to category number {@code categoryIndex} (its position in the
     * constructor's list), or as an exception when it is {@link #EXCEPTION_INDEX}.
     */
    public Builder add(String domain, int categoryIndex) {
      index.add(domain, checked(categoryIndex));
      return this;
    }

    private int checked(int categoryIndex) {
      if ((categoryIndex < 0 || categoryIndex >= names.size()) && categoryIndex != EXCEPTION_INDEX) {
        throw new IllegalArgumentException("no category number " + categoryIndex + " among " + names.size());
      }
      return categoryIndex;
    }

    /**
     * Adds the domain held as ASCII bytes {@code [from, to)}, already checked to be a normalised
     * domain (lower case, valid labels), so that a five-million-line list is read without a
     * string per line.
     */
    public Builder addAscii(byte[] ascii, int from, int to, int categoryIndex) {
      index.add(DomainHash.of(ascii, from, to), checked(categoryIndex));
      return this;
    }

    /**
     * Marks a normalised domain as an exception ({@link #EXCEPTION} in its mask): a
     * subscription's {@code allow} source categories.
     */
    public Builder addException(String domain) {
      return add(domain, EXCEPTION_INDEX);
    }

    /** Domains added so far, counting one added twice twice. */
    public int count() {
      return index.count();
    }

    public CategoryLists build() {
      // a domain in one category (nearly all of them) has that category's number as its set id;
      // the few in several share ids numbered from 64, one per distinct combination
      Map<Long, Integer> combined = new HashMap<>();
      List<Long> masks = new ArrayList<>();
      DomainIndex built = index.build(tags -> {
        if (Long.bitCount(tags) == 1) {
          return Long.numberOfTrailingZeros(tags);
        }
        return combined.computeIfAbsent(tags, t -> {
          masks.add(t);
          return 63 + masks.size();
        });
      });
      long[] setMasks = new long[64 + masks.size()];
      for (int i = 0; i < 64; i++) {
        setMasks[i] = 1L << i;
      }
      for (int i = 0; i < masks.size(); i++) {
        setMasks[64 + i] = masks.get(i);
      }
      return new CategoryLists(names, built, setMasks);
    }
  }
}
