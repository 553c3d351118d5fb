package org.schoolgate.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.schoolgate.values.Cidr;
import org.schoolgate.values.Timetable.Period;

/**
 * The groups, compiled for lookup by number: which group a client is in (the first network in
 * file order that contains it, else the default group) and, per group, the category bits it
 * blocks at all times and in lessons. Immutable; built with the category lists it refers to.
 */
final class GroupIndex {
  private final String[] names;
  private final Cidr[] cidrs;
  private final int[] cidrGroups;
  private final int defaultGroup;
  private final long[] alwaysMask;
  private final long[] lessonMask;
  private final boolean[] circumventionAlways;
  private final boolean[] circumventionInLessons;
  /** Per group, the hosts whose allowed connections go to an enforced front end; null when it enforces none. */
  private final Map<String, Reroute>[] reroutes;
  /** The no-rule decision for each group and period, made once: the common case allocates nothing. */
  private final Decision[][] noRule;

  /** @throws IllegalStateException if a group blocks a category that has no list in {@code lists} */
  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of maps: one load per lookup
  GroupIndex(PolicyConfig config, CategoryLists lists) {
    List<String> groupNames = new ArrayList<>(config.groups().keySet());
    this.names = groupNames.toArray(new String[0]);
    List<Cidr> cidrList = new ArrayList<>();
    List<Integer> cidrGroupList = new ArrayList<>();
    for (Map.Entry<String, List<Cidr>> e : config.networks().entrySet()) {
      for (Cidr c : e.getValue()) {
        cidrList.add(c);
        cidrGroupList.add(groupNames.indexOf(e.getKey()));
      }
    }
    this.cidrs = cidrList.toArray(new Cidr[0]);
    this.cidrGroups = cidrGroupList.stream().mapToInt(Integer::intValue).toArray();
    this.defaultGroup = groupNames.indexOf(config.defaultGroup());
    this.alwaysMask = new long[names.length];
    this.lessonMask = new long[names.length];
    this.circumventionAlways = new boolean[names.length];
    this.circumventionInLessons = new boolean[names.length];
    this.reroutes = new Map[names.length];
    for (int g = 0; g < names.length; g++) {
      PolicyConfig.GroupRules rules = config.groups().get(names[g]);
      for (String c : rules.block()) {
        alwaysMask[g] |= requireBit(lists, c);
      }
      for (String c : rules.blockInLessons()) {
        lessonMask[g] |= requireBit(lists, c);
      }
      circumventionAlways[g] = rules.block().contains(Decisions.CIRCUMVENTION);
      circumventionInLessons[g] = rules.blockInLessons().contains(Decisions.CIRCUMVENTION);
      reroutes[g] = config.frontEnds().forGroup(rules.safeSearch(), rules.youtube());
    }
    this.noRule = new Decision[names.length][Period.values().length];
    for (int g = 0; g < names.length; g++) {
      for (Period p : Period.values()) {
        noRule[g][p.ordinal()] = Decisions.noRule(names[g], p);
      }
    }
  }

  private static long requireBit(CategoryLists lists, String category) {
    if (Policy.BUILT_IN_CATEGORIES.contains(category)) {
      return 0; // "reported" is enforced for every group through the admin blocks
    }
    long bit = lists.bit(category);
    if (bit == 0) {
      throw new IllegalStateException("no list loaded for category \"" + category + "\"");
    }
    return bit;
  }

  /** The number of the client's group. */
  int of(InetAddress client) {
    byte[] address = client.getAddress();
    for (int i = 0; i < cidrs.length; i++) {
      if (cidrs[i].contains(address)) {
        return cidrGroups[i];
      }
    }
    return defaultGroup;
  }

  String name(int group) {
    return names[group];
  }

  /** The categories the group blocks in this period, as bits of the category lists. */
  long blockedNow(int group, Period period) {
    return alwaysMask[group] | (period == Period.LESSON ? lessonMask[group] : 0);
  }

  /** The categories the group blocks at all times. */
  long blockedAlways(int group) {
    return alwaysMask[group];
  }

  /** Whether the group blocks circumvention in this period (attempts are then blocked and recorded). */
  boolean blocksCircumvention(int group, Period period) {
    return circumventionAlways[group] || (period == Period.LESSON && circumventionInLessons[group]);
  }

  /** The hosts the group's allowed connections are rerouted for (host to front end), or null: one load for most groups. */
  Map<String, Reroute> reroutes(int group) {
    return reroutes[group];
  }

  Decision noRule(int group, Period period) {
    return noRule[group][period.ordinal()];
  }
}
