package org.schoolgate.policy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.values.Cidr;
import org.schoolgate.values.HostSyntax;
import org.schoolgate.values.Timetable;

/**
 * One immutable snapshot of the whole policy: configuration, category lists and admin rules.
 * {@link PolicyEngine} holds the current one and swaps in a new one atomically on any change.
 *
 * <p>The decision walks the host's label-boundary suffixes once, right to left, looking each
 * suffix's hash up in a few tables; the longest suffix with a rule decides, a block beating an
 * allow of the same length (SPEC section 4).
 */
public final class Policy {
  public static final String CIRCUMVENTION = Decisions.CIRCUMVENTION;
  /** Categories the policy itself assigns; a group may block them without a list file. */
  public static final Set<String> BUILT_IN_CATEGORIES = Set.of("reported");
  private static final String TRANSLATE_GOOG = ".translate.goog";

  private final PolicyConfig config;
  private final CategoryLists lists;
  private final AdminRules admin;
  private final String[] groupNames;
  private final Cidr[] cidrs;
  private final int[] cidrGroups;
  private final int defaultGroup;
  private final long[] alwaysMask;
  private final long[] lessonMask;
  private final boolean[] circumventionAlways;
  private final boolean[] circumventionInLessons;
  private final long circumventionBit;
  private final DomainIndex allow;
  private final DomainIndex supervisionAllow;
  private final boolean[] allowedConnectPorts = new boolean[65536];
  private final Decision[][] allowByDefault;

  public Policy(PolicyConfig config, CategoryLists lists, AdminRules admin) {
    this.config = config;
    this.lists = lists;
    this.admin = admin;
    List<String> names = new ArrayList<>(config.groups().keySet());
    this.groupNames = names.toArray(new String[0]);
    List<Cidr> cidrList = new ArrayList<>();
    List<Integer> cidrGroupList = new ArrayList<>();
    for (Map.Entry<String, List<Cidr>> e : config.networks().entrySet()) {
      for (Cidr c : e.getValue()) {
        cidrList.add(c);
        cidrGroupList.add(names.indexOf(e.getKey()));
      }
    }
    this.cidrs = cidrList.toArray(new Cidr[0]);
    this.cidrGroups = cidrGroupList.stream().mapToInt(Integer::intValue).toArray();
    this.defaultGroup = names.indexOf(config.defaultGroup());
    this.alwaysMask = new long[groupNames.length];
    this.lessonMask = new long[groupNames.length];
    this.circumventionAlways = new boolean[groupNames.length];
    this.circumventionInLessons = new boolean[groupNames.length];
    for (int g = 0; g < groupNames.length; g++) {
      PolicyConfig.GroupRules rules = config.groups().get(groupNames[g]);
      for (String c : rules.block()) {
        alwaysMask[g] |= requireBit(c);
      }
      for (String c : rules.blockInLessons()) {
        lessonMask[g] |= requireBit(c);
      }
      circumventionAlways[g] = rules.block().contains(CIRCUMVENTION);
      circumventionInLessons[g] = rules.blockInLessons().contains(CIRCUMVENTION);
    }
    this.circumventionBit = lists.bit(CIRCUMVENTION);
    this.allow = index(config.allow());
    this.supervisionAllow = index(config.supervisionAllow());
    for (int p : config.allowedConnectPorts()) {
      allowedConnectPorts[p] = true;
    }
    this.allowByDefault = new Decision[groupNames.length][Timetable.Period.values().length];
    for (int g = 0; g < groupNames.length; g++) {
      for (Timetable.Period p : Timetable.Period.values()) {
        allowByDefault[g][p.ordinal()] = Decisions.noRule(groupNames[g], p);
      }
    }
  }

  private long requireBit(String category) {
    if (BUILT_IN_CATEGORIES.contains(category)) {
      return 0; // "reported" is enforced for every group through the admin blocks
    }
    long bit = lists.bit(category);
    if (bit == 0) {
      throw new IllegalStateException("no list loaded for category \"" + category + "\"");
    }
    return bit;
  }

  private static DomainIndex index(List<String> domains) {
    DomainIndex.Builder b = new DomainIndex.Builder();
    domains.forEach(d -> b.add(d, 0));
    return b.build();
  }

  public PolicyConfig config() {
    return config;
  }

  public CategoryLists lists() {
    return lists;
  }

  public AdminRules admin() {
    return admin;
  }

  public Policy withLists(CategoryLists newLists) {
    return new Policy(config, newLists, admin);
  }

  public Policy withAdmin(AdminRules newAdmin) {
    return new Policy(config, lists, newAdmin);
  }

  /** Whether the host or any parent domain of it is in the circumvention list. */
  public boolean listedAsCircumvention(String host) {
    return circumventionBit != 0 && anySuffix(host, h -> (lists.categoriesOf(h) & circumventionBit) != 0);
  }

  /** The client's group: the first network in file order that contains it, else the default group. */
  public String groupOf(InetAddress client) {
    return groupNames[groupIndex(client)];
  }

  private int groupIndex(InetAddress client) {
    byte[] address = client.getAddress();
    for (int i = 0; i < cidrs.length; i++) {
      if (cidrs[i].contains(address)) {
        return cidrGroups[i];
      }
    }
    return defaultGroup;
  }

  /** Whether this client's group blocks circumvention now (attempts are then blocked and recorded). */
  public boolean blocksCircumvention(InetAddress client, Timetable.Period period) {
    int g = groupIndex(client);
    return circumventionAlways[g] || (period == Timetable.Period.LESSON && circumventionInLessons[g]);
  }

  /**
   * Decides a request.
   *
   * @param host   normalised (see {@link HostSyntax#normalise}); an IP literal without brackets
   * @param port   the destination port
   * @param state  the timetable state at {@code now}
   */
  public Decision decide(InetAddress client, String host, int port, Access access, Instant now, Timetable.State state) {
    int g = groupIndex(client);
    Timetable.Period period = state.period();
    boolean lesson = period == Timetable.Period.LESSON;
    boolean circumvention = circumventionAlways[g] || (lesson && circumventionInLessons[g]);
    if (circumvention && access == Access.CONNECT && !allowedConnectPorts[port]) {
      return circumventionBlock(g, period, CircumventionKind.CONNECT_PORT, "connect-port:" + port,
          "tunnels to port " + port + " are not allowed", null);
    }
    boolean ipLiteral = HostSyntax.isIpLiteral(host);
    if (circumvention && ipLiteral && access != Access.HTTP) {
      return circumventionBlock(g, period, CircumventionKind.IP_LITERAL, "ip-literal:" + host,
          "connections to a bare IP address hide which site is being reached", null);
    }
    Decision d = ipLiteral ? allowByDefault[g][period.ordinal()] : decideTranslated(client, g, host, now, state, circumvention);
    if (d.circumvention() == null && admin.lockdown.contains(client)) {
      if (ipLiteral || !anySuffixIn(supervisionAllow, host)) {
        return Decisions.supervision(groupNames[g], period);
      }
    }
    return d;
  }

  private Decision decideTranslated(InetAddress client, int g, String host, Instant now, Timetable.State state,
                                    boolean circumvention) {
    if (host.endsWith(TRANSLATE_GOOG) && host.length() > TRANSLATE_GOOG.length()) {
      String inner = TranslateGoog.decode(host);
      if (inner != null) {
        Decision d = decideHost(client, g, inner, now, state);
        if (!d.allowed()) {
          return Decisions.throughTranslate(d, inner, circumvention);
        }
      }
    }
    return decideHost(client, g, host, now, state);
  }

  private Decision circumventionBlock(int g, Timetable.Period period, CircumventionKind kind, String rule,
                                      String reason, String detail) {
    return Decisions.circumvention(groupNames[g], kind, rule, reason, period, detail);
  }

  /** Whether the host or any parent domain of it is in the index. */
  private static boolean anySuffixIn(DomainIndex index, String host) {
    return anySuffix(host, h -> index.get(h) >= 0);
  }

  /** Walks the host's label-boundary suffixes (hashed right to left, nothing allocated) until one matches. */
  private static boolean anySuffix(String host, java.util.function.LongPredicate matches) {
    long h = DomainHash.FNV_START;
    for (int i = host.length() - 1; i >= 0; i--) {
      char c = host.charAt(i);
      if (c == '.' && matches.test(DomainHash.finish(h))) {
        return true;
      }
      h = DomainHash.step(h, c);
    }
    return matches.test(DomainHash.finish(h));
  }

  private Decision decideHost(InetAddress client, int g, String host, Instant now, Timetable.State state) {
    Timetable.Period period = state.period();
    long active = alwaysMask[g] | (period == Timetable.Period.LESSON ? lessonMask[g] : 0);
    long lifted = 0;
    int overrideCount = admin.overrides.size();
    boolean anyOverride = false;
    for (int i = 0; i < overrideCount; i++) {
      CurriculumOverride o = admin.overrides.get(i);
      if (o.appliesTo(client, groupNames[g], now)) {
        anyOverride = true;
        for (String c : o.categories()) {
          lifted |= lists.bit(c);
        }
      }
    }
    active &= ~(lifted & ~circumventionBit);

    // Walk suffixes right to left; a longer match overwrites a shorter one. At one length a
    // block beats a plain allow, but an approved unblock or a curriculum override beats the
    // category lists (SPEC 4). Neither ever lifts circumvention, at any length.
    int matchStart = -1;
    long matchBlockMask = 0;
    boolean matchReported = false;
    AllowKind matchAllowKind = null;
    long matchSuffix = 0;
    int circumventionStart = -1;
    long h = DomainHash.FNV_START;
    for (int i = host.length() - 1; i >= -1; i--) {
      if (i == -1 || host.charAt(i) == '.') {
        long suffix = DomainHash.finish(h);
        boolean reported = admin.blocks.get(suffix) >= 0;
        long blocked = lists.categoriesOf(suffix) & active;
        boolean circumventionHere = (blocked & circumventionBit) != 0;
        if (circumventionHere) {
          circumventionStart = i + 1;
        }
        AllowKind allowKind = reported || circumventionHere ? null : allowKind(suffix, client, g, now, anyOverride);
        boolean strongAllow = allowKind != null && allowKind.beatsCategoryLists();
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
      return allowByDefault[g][period.ordinal()];
    }
    if (matchAllowKind != null && matchAllowKind.beatsCategoryLists() && circumventionStart >= 0) {
      matchStart = circumventionStart; // an unblock or override under a circumvention site lifts nothing
      matchAllowKind = null;
      matchBlockMask = circumventionBit;
    }
    String domain = host.substring(matchStart);
    if (matchAllowKind != null) {
      long overrideId = matchAllowKind == AllowKind.OVERRIDE ? overrideAt(matchSuffix, client, g, now).id() : 0;
      return Decisions.allowedBy(groupNames[g], matchAllowKind, overrideId, domain, period);
    }
    if (matchReported) {
      return Decisions.reported(groupNames[g], domain, period);
    }
    boolean isCircumvention = (matchBlockMask & circumventionBit) != 0;
    int bitIndex = Long.numberOfTrailingZeros(isCircumvention ? circumventionBit : matchBlockMask);
    String category = lists.name(bitIndex);
    boolean lessonsOnly = (matchBlockMask & alwaysMask[g]) == 0;
    return Decisions.listed(groupNames[g], category, domain, lessonsOnly, state,
        isCircumvention ? CircumventionKind.CIRCUMVENTION_SITE : null);
  }

  private AllowKind allowKind(long suffix, InetAddress client, int g, Instant now, boolean anyOverride) {
    if (allow.get(suffix) >= 0) {
      return AllowKind.ALLOW_LIST;
    }
    if (admin.allows.get(suffix) >= 0) {
      return AllowKind.UNBLOCK;
    }
    return anyOverride && overrideAt(suffix, client, g, now) != null ? AllowKind.OVERRIDE : null;
  }

  /** The first override that lists this domain suffix and applies to the client now, or null. */
  private CurriculumOverride overrideAt(long suffix, InetAddress client, int g, Instant now) {
    for (int i = 0; i < admin.overrideDomains.length; i++) {
      if (admin.overrideDomains[i].get(suffix) >= 0 && admin.overrides.get(i).appliesTo(client, groupNames[g], now)) {
        return admin.overrides.get(i);
      }
    }
    return null;
  }
}
