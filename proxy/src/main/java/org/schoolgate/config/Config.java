package org.schoolgate.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.policy.PolicyConfig;
import org.schoolgate.policy.YouTubeMode;
import org.schoolgate.values.Cidr;
import org.schoolgate.values.Timetable;

/** The whole configuration file, validated. Every collection is immutable; maps keep file order. */
public record Config(
    Path file,
    ZoneId timezone,
    Listen listen,
    Upstream upstream,
    Map<String, List<Cidr>> networks,
    String defaultGroup,
    Timetable timetable,
    Map<String, GroupRules> groups,
    List<String> allow,
    Path blocklists,
    Path dataDir,
    Path logDir,
    int logRetentionDays,
    Circumvention circumvention,
    Admin admin,
    Limits limits,
    String site,
    Store store,
    TlsBlockPage tlsBlockPage,
    Alerts alerts,
    Lists lists,
    Dns dns,
    Identity identity) {

  /** Listener addresses; a null address means that listener is off. */
  public record Listen(InetSocketAddress proxy, InetSocketAddress interceptHttp,
                       InetSocketAddress interceptTls, InetSocketAddress admin, InetSocketAddress dns) {}

  /**
   * The DNS guard (SPEC section 14); it runs when {@code listen.dns} is set.
   *
   * @param upstream   the resolvers it asks, in order ({@code dns.upstream}, else /etc/resolv.conf's nameservers)
   * @param cache      answers kept at most
   * @param stripEch   remove the {@code ech} SvcParam from HTTPS/SVCB answers
   * @param logQueries one line per query in {@code dns.jsonl}
   * @param queriesPerClient the token bucket per client address (SPEC 14: 200 a second; the bench raises it)
   */
  public record Dns(List<InetSocketAddress> upstream, int cache, boolean stripEch, boolean logQueries,
                    int queriesPerClient) {}

  /**
   * Whether the DNS guard is on in the sense of SPEC 14: its listener runs and strips ECH, so an
   * {@code ech} connection is a browser's accident and no longer counts towards supervision.
   */
  public boolean dnsGuardOn() {
    return listen.dns() != null && dns.stripEch();
  }

  /**
   * @param refuseLocal refuse upstreams on the gateway itself (loopback, link-local, its own
   *                    addresses): pupils must not reach the router's own services through it
   */
  public record Upstream(int httpPort, int tlsPort, Path hostsFile, Duration connectTimeout,
                         Duration idleTimeout, List<InetSocketAddress> dnsServers, boolean refuseLocal) {}

  /**
   * @param safeSearch whether allowed connections to the search engines go to their enforced safe search
   * @param youtube    YouTube's restricted mode for allowed connections to YouTube
   */
  public record GroupRules(Set<String> block, Set<String> blockInLessons, boolean safeSearch, YouTubeMode youtube) {}

  public enum SupervisionMode { LOCKDOWN, FLAG }

  public record Circumvention(Set<Integer> allowedConnectPorts, int superviseAfter, Duration superviseWithin,
                              SupervisionMode supervision, List<String> supervisionAllow,
                              Set<String> echPublicNames) {}

  /**
   * @param allowFrom  who may reach the admin listener
   * @param consoleUrl {@code console_url}: the console's address for links (block pages, alerts), ending in
   *                   {@code /}; null when not set (links then use the admin listener's address)
   * @param hostnames  {@code hostnames}: more names the console is reached by (its {@code Host} header); the
   *                   host of {@code console_url} and any address are accepted without them
   * @param tls        {@code tls}: the admin listener serves HTTPS; null when it serves plain HTTP
   */
  public record Admin(List<Cidr> allowFrom, String consoleUrl, List<String> hostnames, AdminTls tls) {
    /** Whether a client may reach the console (staff and office networks; never the pupils'). */
    public boolean reaches(java.net.InetAddress client) {
      for (Cidr c : allowFrom) {
        if (c.contains(client)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * {@code admin.tls}: a certificate chain and key in PEM files, or ({@code from_ca: true}) a leaf
   * minted at start from the school CA of {@code tls_block_page} for the console's names.
   */
  public record AdminTls(Path cert, Path key, boolean fromCa) {}

  /**
   * What one client, and all of them together, may hold of the gateway (section {@code limits}).
   *
   * @param connectionsPerClient open connections one client address may have on the proxy listeners
   * @param requestHeadTimeout   a request head must be complete this long after its first byte arrives
   * @param bufferBudgetPercent  the share of direct memory that connections whose peer reads slowly may
   *                             hold together; a connection that would go past it is closed
   */
  public record Limits(int connectionsPerClient, Duration requestHeadTimeout, int bufferBudgetPercent) {
    public static final Limits DEFAULTS = new Limits(256, Duration.ofSeconds(30), 50);
  }

  /**
   * Where the durable state lives (SPEC section 12): {@code sqlite} (a file in {@code data_dir})
   * or {@code postgresql} (one database for a trust's gateways).
   *
   * @param passwordFile the file whose first line is the database password, or null
   */
  public record Store(String kind, String url, String user, Path passwordFile) {
    public static final Store SQLITE = new Store("sqlite", null, null, null);

    public boolean postgresql() {
      return kind.equals("postgresql");
    }
  }

  /**
   * The HTTPS block page for managed devices (SPEC section 9): clients in {@code networks} trust
   * the school's CA, whose certificate and key are the two files. Off when {@code networks} is empty.
   * {@code provider}: whose TLS completes the page's handshakes (issue 27); {@code handshakesPerSecond}
   * the page's handshakes a second across every managed address (issue 21 item 5).
   */
  public record TlsBlockPage(List<Cidr> networks, Path caCert, Path caKey, TlsProvider provider,
                             int handshakesPerSecond) {
    public boolean on() {
      return !networks.isEmpty();
    }
  }

  /**
   * The TLS of the HTTPS block page: BoringSSL (netty-tcnative) when it loads and the JDK's
   * otherwise ({@code AUTO}), or one of the two whatever happens (a start with {@code OPENSSL}
   * where BoringSSL cannot load fails, saying why).
   */
  public enum TlsProvider { AUTO, OPENSSL, JDK }

  /**
   * The {@code alerts} section (SPEC section 11); null when it is absent (no alerts).
   *
   * @param to         the designated safeguarding lead(s); empty when only the webhook is used
   * @param smtp       null: no email
   * @param webhook    null: no JSON POST
   * @param on         which alerts are sent: {@code supervised}, {@code report}, {@code category}
   * @param categories a pupil blocked in one of these is an alert
   * @param digest     repeats for one device and kind inside this window fold into one alert
   */
  public record Alerts(List<String> to, String from, Smtp smtp, java.net.URI webhook, Set<String> on,
                       Set<String> categories, Duration digest) {
    public boolean sends(String kind) {
      return on.contains(kind);
    }
  }

  /**
   * The {@code lists} section (SPEC section 13): subscriptions to category lists and when they are fetched.
   *
   * @param window  the daily window (in the timezone) inside which each subscription is fetched once
   * @param keep    good copies kept per subscription
   * @param maxSize a download bigger than this many bytes (as received) is refused
   */
  public record Lists(org.schoolgate.values.TimeRange window, int keep, long maxSize, Duration connectTimeout,
                      Duration readTimeout, List<Subscription> subscriptions) {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  }

  /**
   * One subscription: a {@code ut1} archive whose source categories are mapped ({@code map}) or
   * allowed ({@code allow}), or a {@code domains}, {@code hosts} or {@code adblock} list that is all
   * one {@code category}.
   */
  public record Subscription(String name, java.net.URI url, String format, Map<String, String> map, Set<String> allow,
                             String category, String licence, boolean enabled) {
    /** The categories of ours this subscription adds domains to. */
    public Set<String> categories() {
      return category != null ? Set.of(category) : Set.copyOf(map.values());
    }
  }

  /**
   * The {@code identity} section (SPEC 15); null when it is absent (groups come from networks alone).
   *
   * @param listen     where RADIUS accounting arrives (UDP)
   * @param clients    the access equipment allowed to send it
   * @param secret     the shared secret (the secret file's first line, as bytes)
   * @param users      user name rules, first match wins
   * @param sessionMax a mapping with no update for this long ends
   */
  public record Identity(InetSocketAddress listen, List<Cidr> clients, byte[] secret, List<UserRule> users,
                         Duration sessionMax) {
    public static final Duration SESSION_MAX = Duration.ofHours(12);
  }

  /** {@code match}: an exact user name, {@code *@domain} or {@code prefix*}; {@code group} a group of the file. */
  public record UserRule(String match, String group) {}

  /** How alerts reach the mail server; {@code username} null: no AUTH. */
  public record Smtp(String host, int port, boolean starttls, String username, Path passwordFile) {}

  /**
   * Whether a client of {@code group} is staff, as block pages and alerts decide: it can reach the
   * console ({@code admin.allow_from}) and is not in the default group (the pupils', fail-closed).
   */
  public boolean staff(java.net.InetAddress client, String group) {
    return admin.reaches(client) && !defaultGroup.equals(group);
  }

  /** What the policy needs of this file (and nothing else of it). */
  public PolicyConfig policy() {
    Map<String, PolicyConfig.GroupRules> rules = new java.util.LinkedHashMap<>();
    groups.forEach((name, g) -> rules.put(name, new PolicyConfig.GroupRules(g.block(), g.blockInLessons(),
        g.safeSearch(), g.youtube())));
    return new PolicyConfig(timetable, networks, defaultGroup, rules, allow, circumvention.allowedConnectPorts(),
        circumvention.supervisionAllow(), ShippedFrontEnds.get());
  }

  /** The category names some group blocks, at any time. */
  public Set<String> referencedCategories() {
    java.util.Set<String> all = new java.util.TreeSet<>();
    for (GroupRules g : groups.values()) {
      all.addAll(g.block());
      all.addAll(g.blockInLessons());
    }
    return Set.copyOf(all);
  }
}
