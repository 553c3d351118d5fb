package org.schoolgate.policy;

import java.net.InetAddress;
import java.time.Instant;
import org.schoolgate.values.Timetable;
import org.schoolgate.values.Timetable.Period;

/**
 * The suffix matcher of SPEC section 4: walks the host's label-boundary suffixes once, right to
 * left, looking each suffix's hash up in a few tables (the allow list, admin blocks and allows,
 * curriculum overrides, the category lists); the longest suffix with a rule decides.
 */
final class HostRules {
  private final CategoryLists lists;
  private final AdminRules admin;
  private final GroupIndex groups;
  private final DomainIndex allow;
  private final long circumventionBit;

  HostRules(CategoryLists lists, AdminRules admin, GroupIndex groups, DomainIndex allow) {
    this.lists = lists;
    this.admin = admin;
    this.groups = groups;
    this.allow = allow;
    this.circumventionBit = lists.bit(Decisions.CIRCUMVENTION);
  }

  /** Decides a host name (never an IP literal) for a client of group {@code g}. */
  Decision decide(InetAddress client, int g, String host, Instant now, Timetable.State state) {
    Period period = state.period();
    String group = groups.name(g);
    long active = groups.blockedNow(g, period);
    long blockedBefore = active;
    long lifted = 0;
    int overrideCount = admin.overrides.size();
    boolean anyOverride = false;
    for (int i = 0; i < overrideCount; i++) {
      CurriculumOverride o = admin.overrides.get(i);
      if (o.appliesTo(client, group, now)) {
        anyOverride = true;
        for (String c : o.categories()) {
          lifted |= lists.bit(c);
        }
      }
    }
    active &= ~(lifted & ~circumventionBit);
    long liftedNow = blockedBefore & ~active; // the categories an override lifted for this client now

    // Walk suffixes right to left; a longer match overwrites a shorter one. At one length a
    // block beats a plain allow, but an approved unblock or a curriculum override beats the
    // category lists (SPEC 4). Neither ever lifts circumvention, at any length. A subscription's
    // exception (SPEC 13) is a list entry too: longer than a list's block, it lifts it (and a
    // block longer still blocks again); it never lifts an admin's block or circumvention.
    int matchStart = -1;
    long matchBlockMask = 0;
    boolean matchReported = false;
    AllowKind matchAllowKind = null;
    long matchSuffix = 0;
    int circumventionStart = -1;
    // the longest admin block or allow met so far: what decides when an exception lifts a list's block
    int ruleStart = -1;
    boolean ruleReported = false;
    AllowKind ruleAllowKind = null;
    long ruleSuffix = 0;
    // the longest suffix in a list an override lifted for this client now: what let it through when nothing else matches
    int liftedStart = -1;
    long liftedBits = 0;
    long h = DomainHash.FNV_START;
    for (int i = host.length() - 1; i >= -1; i--) {
      if (i == -1 || host.charAt(i) == '.') {
        long suffix = DomainHash.finish(h);
        boolean reported = admin.blocks.get(suffix) >= 0;
        long listed = lists.categoriesOf(suffix);
        boolean exception = (listed & CategoryLists.EXCEPTION) != 0;
        long blocked = listed & active & (exception ? circumventionBit : -1L);
        long liftedHere = listed & liftedNow;
        if (liftedHere != 0 && !exception) {
          liftedStart = i + 1;
          liftedBits = liftedHere;
        } else if (exception) {
          liftedStart = -1; // a subscription's exception carved this name out of the list: no override needed
        }
        boolean circumventionHere = (blocked & circumventionBit) != 0;
        if (circumventionHere) {
          circumventionStart = i + 1;
        }
        if (exception && matchStart >= 0 && !matchReported && matchAllowKind == null) {
          // the list's block this exception is carved out of: what decided before it decides again
          boolean circumvention = circumventionStart >= 0;
          matchStart = circumvention ? circumventionStart : ruleStart;
          matchBlockMask = circumvention ? circumventionBit : 0;
          matchReported = !circumvention && ruleReported;
          matchAllowKind = circumvention ? null : ruleAllowKind;
          matchSuffix = ruleSuffix;
        }
        AllowKind allowKind = reported || circumventionHere ? null : allowKind(suffix, client, group, now, anyOverride);
        boolean strongAllow = allowKind != null && allowKind.beatsCategoryLists();
        if (reported || allowKind != null) {
          ruleStart = i + 1;
          ruleReported = reported;
          ruleAllowKind = allowKind;
          ruleSuffix = suffix;
        }
        if (reported || circumventionHere || (blocked != 0 && !strongAllow)) {
          matchStart = i + 1;
          matchReported = reported;
          matchBlockMask = blocked;
          matchAllowKind = null;
        } else if (allowKind != null) {
          matchStart = i + 1;
          matchReported = false;
          matchBlockMask = 0;
          matchAllowKind = allowKind;
          matchSuffix = suffix;
        }
      }
      if (i >= 0) {
        h = DomainHash.step(h, host.charAt(i));
      }
    }
    if (matchStart < 0) {
      return liftedStart < 0 ? groups.noRule(g, period) : liftedBy(client, group, host.substring(liftedStart), liftedBits,
          now, period);
    }
    if (matchAllowKind != null && matchAllowKind.beatsCategoryLists() && circumventionStart >= 0) {
      matchStart = circumventionStart; // an unblock or override under a circumvention site lifts nothing
      matchAllowKind = null;
      matchBlockMask = circumventionBit;
    }
    String domain = host.substring(matchStart);
    if (matchAllowKind != null) {
      if (matchAllowKind == AllowKind.OVERRIDE) {
        return Decisions.allowedByOverride(group, overrideAt(matchSuffix, client, group, now), null, domain, period);
      }
      return Decisions.allowedBy(group, matchAllowKind, domain, period);
    }
    if (matchReported) {
      return Decisions.reported(group, domain, period);
    }
    boolean isCircumvention = (matchBlockMask & circumventionBit) != 0;
    int bitIndex = Long.numberOfTrailingZeros(isCircumvention ? circumventionBit : matchBlockMask);
    String category = lists.name(bitIndex);
    boolean lessonsOnly = (matchBlockMask & groups.blockedAlways(g)) == 0;
    return Decisions.listed(group, category, domain, lessonsOnly, state,
        isCircumvention ? CircumventionKind.CIRCUMVENTION_SITE : null);
  }

  private AllowKind allowKind(long suffix, InetAddress client, String group, Instant now, boolean anyOverride) {
    if (allow.get(suffix) >= 0) {
      return AllowKind.ALLOW_LIST;
    }
    if (admin.allows.get(suffix) >= 0) {
      return AllowKind.UNBLOCK;
    }
    return anyOverride && overrideAt(suffix, client, group, now) != null ? AllowKind.OVERRIDE : null;
  }

  /** Allowed because an override lifted a category {@code domain} is listed in: the first such override that applies. */
  private Decision liftedBy(InetAddress client, String group, String domain, long bits, Instant now, Period period) {
    for (CurriculumOverride o : admin.overrides) {
      if (o.appliesTo(client, group, now)) {
        for (String c : o.categories()) {
          if ((lists.bit(c) & bits) != 0) {
            return Decisions.allowedByOverride(group, o, c, domain, period);
          }
        }
      }
    }
    return Decisions.noRule(group, period); // unreachable: a lifted bit came from an override that applies
  }

  /** The first override that lists this domain suffix and applies to the client now, or null. */
  private CurriculumOverride overrideAt(long suffix, InetAddress client, String group, Instant now) {
    for (int i = 0; i < admin.overrideDomains.length; i++) {
      if (admin.overrideDomains[i].get(suffix) >= 0 && admin.overrides.get(i).appliesTo(client, group, now)) {
        return admin.overrides.get(i);
      }
    }
    return null;
  }
}
