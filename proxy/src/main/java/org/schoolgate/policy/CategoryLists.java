package org.schoolgate.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The category lists, compiled: every listed domain maps to the set of categories that list
 * it, a bit mask over at most 64 categories. Immutable; a reload builds a new one.
 */
public final class CategoryLists {
  public static final CategoryLists EMPTY = new Builder(List.of()).build();

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
    private final Map<Long, Integer> setIds = new HashMap<>();
    private final List<Long> sets = new ArrayList<>();

    public Builder(List<String> categories) {
      if (categories.size() > 64) {
        throw new IllegalArgumentException("at most 64 categories can be blocked; " + categories.size() + " are in use");
      }
      this.names = List.copyOf(categories);
      for (int i = 0; i < names.size(); i++) {
        setId(1L << i);
      }
    }

    private int setId(long mask) {
      return setIds.computeIfAbsent(mask, m -> {
        sets.add(m);
        return sets.size() - 1;
      });
    }

    /** Makes room for about this many more domains (an estimate; more may still be added). */
    public Builder expect(int domains) {
      index.expect(domains);
      return this;
    }

    /** Adds a normalised domain to category number {@code categoryIndex} (its position in the constructor's list). */
    public Builder add(String domain, int categoryIndex) {
      index.add(domain, categoryIndex);
      return this;
    }

    public CategoryLists build() {
      DomainIndex built = index.build((a, b) -> setId(sets.get(a) | sets.get(b)));
      long[] masks = new long[sets.size()];
      for (int i = 0; i < masks.length; i++) {
        masks[i] = sets.get(i);
      }
      return new CategoryLists(names, built, masks);
    }
  }
}
