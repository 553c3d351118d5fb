package org.schoolgate.policy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Set;

/**
 * A curriculum exception: a group or one client may reach some categories or domains until a
 * time. Exactly one of {@code group} and {@code client} is set. Never lifts circumvention.
 */
public record CurriculumOverride(long id, String group, InetAddress client, Set<String> categories, Set<String> domains,
                       Instant until, String reason) {
  public CurriculumOverride {
    categories = Set.copyOf(categories);
    domains = Set.copyOf(domains);
    if ((group == null) == (client == null)) {
      throw new IllegalArgumentException("an override is for a group or for one client");
    }
  }

  boolean appliesTo(InetAddress address, String groupName, Instant now) {
    return now.isBefore(until) && (group != null ? group.equals(groupName) : client.equals(address));
  }
}
