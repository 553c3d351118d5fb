package org.schoolgate.policy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.schoolgate.values.HostSyntax;
import org.schoolgate.values.Timetable;

/**
 * One immutable snapshot of the whole policy: configuration, category lists and admin rules.
 * {@link PolicyEngine} holds the current one and swaps in a new one atomically on any change.
 *
 * <p>A decision finds the client's group ({@link GroupIndex}), checks the circumvention attempts
 * that need no host rule ({@link CircumventionRules}), then lets the longest matching host rule
 * decide ({@link HostRules}), a block beating an allow of the same length (SPEC section 4);
 * a device under lockdown supervision reaches only its list. Last, an allowed connection to a
 * search engine or YouTube, for a group that enforces safe search or restricted mode, carries
 * the engine's enforced front end (SPEC section 10), whatever rule allowed it.
 */
public final class Policy {
  public static final String CIRCUMVENTION = Decisions.CIRCUMVENTION;
  /** Categories the policy itself assigns; a group may block them without a list file. */
  public static final Set<String> BUILT_IN_CATEGORIES = Set.of(Decisions.REPORTED);
  private static final String TRANSLATE_GOOG = ".translate.goog";

  private final PolicyConfig config;
  private final CategoryLists lists;
  private final AdminRules admin;
  private final GroupIndex groups;
  private final CircumventionRules circumvention;
  private final HostRules hosts;
  /** Who is on which address (SPEC 15): an identified user's group comes before the network's. */
  private final IdentityMap identities;

  /** @throws IllegalStateException if a group blocks a category that has no list in {@code lists} */
  public Policy(PolicyConfig config, CategoryLists lists, AdminRules admin) {
    this(config, lists, admin, IdentityMap.EMPTY);
  }

  private Policy(PolicyConfig config, CategoryLists lists, AdminRules admin, IdentityMap identities) {
    this.config = config;
    this.lists = lists;
    this.admin = admin;
    this.identities = identities;
    this.groups = new GroupIndex(config, lists);
    this.circumvention = new CircumventionRules(config, lists);
    this.hosts = new HostRules(lists, admin, groups, DomainIndex.of(config.allow()));
  }

  /** The same policy with other identities: everything else is shared, nothing rebuilt. */
  private Policy(Policy p, IdentityMap identities) {
    this.config = p.config;
    this.lists = p.lists;
    this.admin = p.admin;
    this.groups = p.groups;
    this.circumvention = p.circumvention;
    this.hosts = p.hosts;
    this.identities = identities;
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

  public IdentityMap identities() {
    return identities;
  }

  public Policy withLists(CategoryLists newLists) {
    return new Policy(config, newLists, admin, identities);
  }

  public Policy withAdmin(AdminRules newAdmin) {
    return new Policy(config, lists, newAdmin, identities);
  }

  public Policy withIdentities(IdentityMap newIdentities) {
    return new Policy(this, newIdentities);
  }

  /** The client's group number: its user's (SPEC 15) when it is identified and a rule matches, else its network's. */
  private int groupNumber(InetAddress client) {
    int g = identities.group(client);
    return g >= 0 ? g : groups.of(client);
  }

  /** Whether the host or any parent domain of it is in the circumvention list. */
  public boolean listedAsCircumvention(String host) {
    return circumvention.listed(host);
  }

  /**
   * The client's group: its user's (SPEC 15) when it is identified and a {@code users} rule matches,
   * else the first network in file order that contains it, else the default group.
   */
  public String groupOf(InetAddress client) {
    return groups.name(groupNumber(client));
  }

  /** Whether this client's group blocks circumvention now (attempts are then blocked and recorded). */
  public boolean blocksCircumvention(InetAddress client, Timetable.Period period) {
    return groups.blocksCircumvention(groupNumber(client), period);
  }

  /**
   * Decides a request.
   *
   * @param host   normalised (see {@link HostSyntax#normalise}); an IP literal without brackets
   * @param port   the destination port
   * @param state  the timetable state at {@code now}
   */
  public Decision decide(InetAddress client, String host, int port, Access access, Instant now, Timetable.State state) {
    int g = groupNumber(client);
    Timetable.Period period = state.period();
    boolean blocksCircumvention = groups.blocksCircumvention(g, period);
    boolean ipLiteral = HostSyntax.isIpLiteral(host);
    if (blocksCircumvention) {
      Decision attempt = circumvention.attempt(groups.name(g), host, ipLiteral, port, access, period);
      if (attempt != null) {
        return attempt;
      }
    }
    Decision d = ipLiteral ? groups.noRule(g, period) : decideTranslated(client, g, host, now, state, blocksCircumvention);
    if (d.circumvention() == null && admin.lockdown.contains(client)) {
      if (ipLiteral || !circumvention.allowedUnderSupervision(host)) {
        return Decisions.supervision(groups.name(g), period);
      }
    }
    Map<String, Reroute> reroutes = groups.reroutes(g);
    if (reroutes != null && d.allowed()) {
      Reroute r = reroutes.get(host); // exact host, no allocation; a block is never rerouted, it stays a block
      if (r != null) {
        return Decisions.rerouted(d, r);
      }
    }
    return d;
  }

  /** A {@code LABEL.translate.goog} host is decided on the site it fetches as well as on itself. */
  private Decision decideTranslated(InetAddress client, int g, String host, Instant now, Timetable.State state,
                                    boolean blocksCircumvention) {
    if (host.endsWith(TRANSLATE_GOOG) && host.length() > TRANSLATE_GOOG.length()) {
      String inner = TranslateGoog.decode(host);
      if (inner != null) {
        Decision d = hosts.decide(client, g, inner, now, state);
        if (!d.allowed()) {
          return Decisions.throughTranslate(d, inner, blocksCircumvention);
        }
      }
    }
    return hosts.decide(client, g, host, now, state);
  }
}
