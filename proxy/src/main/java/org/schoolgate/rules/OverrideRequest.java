package org.schoolgate.rules;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.schoolgate.admin.ApiError;
import org.schoolgate.admin.Bounds;
import org.schoolgate.policy.Policy;
import org.schoolgate.store.Rows;

/**
 * An override as a person asked for it ("allow for a lesson"): a group or one device, categories
 * or sites, until a time, and why. Each field is as given (null when absent); {@link #check}
 * holds the rules for it.
 */
public record OverrideRequest(String group, String client, List<String> categories, List<String> domains, String until,
                              String reason) {

  /**
   * The override to store, or a 400 naming what is wrong: exactly one of group (a configured one)
   * and client (an IP address); exactly one of categories (configured ones) and domains; never
   * circumvention, by category or by a listed domain; an end in the future; a reason.
   */
  Rows.OverrideRow check(AdminChanges changes, String user) {
    if ((group == null) == (client == null)) {
      throw new ApiError(400, "Give either \"group\" or \"client\" (one address), not both");
    }
    Policy policy = changes.engine().policy();
    if (group != null && !policy.config().groups().containsKey(group)) {
      throw new ApiError(400, "\"" + group + "\" is not a group (groups: " + String.join(", ", policy.config().groups().keySet()) + ")");
    }
    String device = client == null ? null : AddressInput.parse(client).getHostAddress();
    if ((categories == null || categories.isEmpty()) == (domains == null || domains.isEmpty())) {
      throw new ApiError(400, "Give either \"categories\" or \"domains\" to allow");
    }
    Set<String> cats = new LinkedHashSet<>();
    if (categories != null) {
      for (String c : categories) {
        if (c.equals(Policy.CIRCUMVENTION)) {
          throw new ApiError(400, "Ways round the filter (circumvention) can never be allowed by an override");
        }
        if (!policy.lists().names().contains(c)) {
          throw new ApiError(400, "\"" + c + "\" is not a category (categories: " + String.join(", ", policy.lists().names()) + ")");
        }
        cats.add(c);
      }
    }
    Set<String> doms = new LinkedHashSet<>();
    if (Bounds.domains(domains) != null) {
      for (String d : domains) {
        String norm = DomainInput.normalise(d);
        if (policy.listedAsCircumvention(norm)) {
          throw new ApiError(400, "\"" + norm + "\" is a way round the filter (circumvention); it can never be allowed by an override");
        }
        doms.add(norm);
      }
    }
    if (until == null) {
      throw new ApiError(400, "Give \"until\": when the override ends, like 2026-11-23T15:15:00+00:00");
    }
    Instant end = TimeInput.parse(until, "until", policy.config().timezone());
    if (!end.isAfter(changes.engine().clock().instant())) {
      throw new ApiError(400, "\"until\" is in the past");
    }
    String why = Bounds.reason(reason);
    return new Rows.OverrideRow(0, group, device, List.copyOf(cats), List.copyOf(doms), changes.format(end), why, user,
        changes.now());
  }
}
