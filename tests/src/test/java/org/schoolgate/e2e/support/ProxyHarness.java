package org.schoolgate.e2e.support;

import org.schoolgate.testing.FakeClock;
import org.schoolgate.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.schoolgate.Schoolgate;
import org.schoolgate.config.ConfigLoader;

/**
 * Starts a real schoolgate in this JVM on loopback, on a configuration written to a temporary
 * folder: pupils 127.0.10.0/24, staff 127.0.20.0/24, office 127.0.30.0/24 (the SPEC's groups
 * and timetable), the shipped blocklists copied so tests may edit them, every name a test uses
 * mapped in a hosts file, and DNS pointed at a {@link LoopbackDns}. Time comes from a {@link FakeClock}.
 */
public final class ProxyHarness implements AutoCloseable {
  /** A Monday in term: 11:00 is lesson time, 10:35 a break. */
  public static final String MONDAY = "2026-11-23";

  public static final String TEMPLATE = """
      timezone: Europe/London
      listen:
        proxy: 127.0.0.1:0
        intercept_http: 127.0.0.1:0
        intercept_tls: 127.0.0.1:0
        admin: 127.0.0.1:0
      upstream:
        http_port: @HTTP_PORT@
        tls_port: @TLS_PORT@
        hosts_file: hosts
        connect_timeout: 2s
        idle_timeout: 30s
        dns_servers: ["@DNS@"]
        refuse_local: false        # the test upstreams run on loopback
      networks:
        pupils: [127.0.10.0/24]
        staff: [127.0.20.0/24]
        office: [127.0.30.0/24]
      default_group: pupils
      timetable:
        days: [MON, TUE, WED, THU, FRI]
        school_day: "08:45-15:15"
        breaks: ["10:30-10:45", "12:00-13:00"]
      groups:
        pupils:
          block: [social, forums, chat, media-sharing, microblogging, circumvention]
        staff:
          block: [circumvention]
          block_in_lessons: [social, forums, chat, media-sharing, microblogging]
        office:
          block: [circumvention]
      allow: [classroom.google.com]
      blocklists: blocklists/
      data_dir: data/
      log_dir: logs/
      log_retention_days: 90
      circumvention:
        allowed_connect_ports: [443, @TLS_PORT@]
        supervise_after: 5
        supervise_within: 10m
        supervision: lockdown
        supervision_allow: [classroom.google.com]
        ech_public_names: [cloudflare-ech.com]
      admin:
        allow_from: [127.0.0.1/32, 127.0.20.0/24, 127.0.30.0/24]
      """;

  /** Names the tests use; all map to 127.0.0.1 in the hosts file. */
  public static final List<String> NAMES = List.of("www.facebook.com", "facebook.com", "m.facebook.com",
      "notfacebook.com", "www.bbc.co.uk", "classroom.google.com", "www.reddit.com", "discord.com",
      "www.youtube.com", "x.com", "nordvpn.com", "example.org", "www.example.org", "proxy.test", "school.test");

  public final Path dir;
  public final FakeClock clock;
  public final RecordingEvents events = new RecordingEvents();
  public final LoopbackDns dns;
  public final Schoolgate server;

  public ProxyHarness(Path dir, int httpPort, int tlsPort, UnaryOperator<String> edit) throws Exception {
    this(dir, httpPort, tlsPort, edit, Schoolgate.Options.HELLO_TIMEOUT);
  }

  public ProxyHarness(Path dir, int httpPort, int tlsPort, UnaryOperator<String> edit, Duration helloTimeout)
      throws Exception {
    this(dir, httpPort, tlsPort, edit, helloTimeout, config -> { });
  }

  /** Something to do with the written configuration before the server starts (e.g. {@code user add}). */
  @FunctionalInterface
  public interface BeforeStart {
    void run(Path config) throws Exception;
  }

  public ProxyHarness(Path dir, int httpPort, int tlsPort, UnaryOperator<String> edit, Duration helloTimeout,
                      BeforeStart beforeStart) throws Exception {
    this(dir, httpPort, tlsPort, edit, helloTimeout, beforeStart, null);
  }

  /** As above, trusting {@code mailTls} for the alerts' mail server (null: the JDK's trust store). */
  public ProxyHarness(Path dir, int httpPort, int tlsPort, UnaryOperator<String> edit, Duration helloTimeout,
                      BeforeStart beforeStart, javax.net.ssl.SSLSocketFactory mailTls) throws Exception {
    this.dir = dir;
    this.clock = new FakeClock(FakeClock.london(MONDAY + "T11:00"));
    this.dns = new LoopbackDns();
    beforeStart.run(writeConfig(dir, httpPort, tlsPort, dns.address().getPort(), edit));
    this.server = Schoolgate.start(ConfigLoader.load(dir.resolve("schoolgate.yaml")),
        new Schoolgate.Options(clock, Duration.ofMillis(50), events, helloTimeout,
            org.schoolgate.alert.AlertSender.Timing.DEFAULTS, mailTls));
  }

  /**
   * With {@code -Dschoolgate.tls.provider=jdk} (or openssl, auto) on the test run, a configuration
   * that has a {@code tls_block_page} section uses that TLS for the block page: the same tests on
   * both (issue 27).
   */
  static String withProvider(String yaml) {
    String p = System.getProperty("schoolgate.tls.provider");
    return p == null || p.isEmpty() ? yaml : yaml.replace("tls_block_page:\n", "tls_block_page:\n  provider: " + p + "\n");
  }

  /** Writes schoolgate.yaml, the hosts file and a copy of the shipped blocklists into {@code dir}. */
  public static Path writeConfig(Path dir, int httpPort, int tlsPort, int dnsPort, UnaryOperator<String> edit)
      throws IOException {
    copyBlocklists(dir.resolve("blocklists"));
    StringBuilder hosts = new StringBuilder();
    for (String n : NAMES) {
      hosts.append("127.0.0.1 ").append(n).append('\n');
    }
    Files.writeString(dir.resolve("hosts"), hosts);
    String yaml = TEMPLATE.replace("@HTTP_PORT@", Integer.toString(httpPort)).replace("@TLS_PORT@", Integer.toString(tlsPort))
        .replace("@DNS@", "127.0.0.1:" + dnsPort);
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, withProvider(edit.apply(yaml)));
    return file;
  }

  public static Path repoRoot() {
    return Path.of(System.getProperty("schoolgate.root", "..")).toAbsolutePath().normalize();
  }

  private static void copyBlocklists(Path target) throws IOException {
    Path source = repoRoot().resolve("blocklists");
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(source)) {
      files.filter(p -> p.toString().endsWith(".txt")).forEach(p -> {
        try {
          Files.copy(p, target.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  public InetSocketAddress proxy() {
    return server.address("proxy");
  }

  public InetSocketAddress interceptHttp() {
    return server.address("intercept_http");
  }

  public InetSocketAddress interceptTls() {
    return server.address("intercept_tls");
  }

  public InetSocketAddress admin() {
    return server.address("admin");
  }

  public AdminClient admin(String source, String user) {
    return new AdminClient(source, admin(), user, user == null ? null : Users.PASSWORD);
  }

  public VlanClient client(String source) throws IOException {
    return new VlanClient(source, proxy());
  }

  public VlanClient client(String source, InetSocketAddress listener) throws IOException {
    return new VlanClient(source, listener);
  }

  /** The lines of a JSON log file under logs/ (waits until at least {@code atLeast} exist). */
  public List<String> logLines(String file, int atLeast) {
    Path p = dir.resolve("logs").resolve(file);
    return Await.value(atLeast + " lines in " + file, () -> {
      try {
        List<String> lines = Files.exists(p) ? Files.readAllLines(p) : List.of();
        return lines.size() >= atLeast ? lines : null;
      } catch (IOException e) {
        return null;
      }
    });
  }

  @Override
  public void close() {
    server.close();
    dns.close();
  }
}
