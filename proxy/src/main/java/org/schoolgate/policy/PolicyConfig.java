package org.schoolgate.policy;

import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.values.Cidr;
import org.schoolgate.values.Timetable;

/**
 * What the policy takes from the configuration file, and nothing more (the configuration
 * builds it: {@code Config.policy()}). The policy depends on this record, not on the whole
 * file, so it never sees listeners, folders or limits. Maps keep file order: the first network
 * that contains a client decides its group.
 *
 * @param networks            group name to its CIDR blocks
 * @param defaultGroup        the group of a client in no network (fail closed)
 * @param groups              group name to what it blocks, in file order
 * @param allow               school-wide allowed domains, normalised
 * @param allowedConnectPorts CONNECT ports that are no circumvention attempt
 * @param supervisionAllow    what a device under lockdown supervision may still reach
 * @param frontEnds           the search engines' and YouTube's enforced front ends, shipped in the jar;
 *                            the groups' {@code safe_search} and {@code youtube} choose which apply
 */
public record PolicyConfig(
    Timetable timetable,
    Map<String, List<Cidr>> networks,
    String defaultGroup,
    Map<String, GroupRules> groups,
    List<String> allow,
    Set<Integer> allowedConnectPorts,
    List<String> supervisionAllow,
    SearchFrontEnds frontEnds) {

  /**
   * What one group may not reach: {@code block} at all times, {@code blockInLessons} in lesson
   * time; and whether its allowed connections to search engines and YouTube go to their enforced
   * front ends ({@code safeSearch}, {@code youtube}).
   */
  public record GroupRules(Set<String> block, Set<String> blockInLessons, boolean safeSearch, YouTubeMode youtube) {
    public GroupRules {
      block = Set.copyOf(block);
      blockInLessons = Set.copyOf(blockInLessons);
      java.util.Objects.requireNonNull(youtube, "youtube");
    }
  }

  public PolicyConfig {
    networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    allow = List.copyOf(allow);
    allowedConnectPorts = Set.copyOf(allowedConnectPorts);
    supervisionAllow = List.copyOf(supervisionAllow);
    java.util.Objects.requireNonNull(frontEnds, "frontEnds");
  }

  /** The school's time zone, in which the timetable is written. */
  public ZoneId timezone() {
    return timetable.zone();
  }
}
