package org.schoolgate.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} binaries
 * ({@code /usr/lib/postgresql/<version>/bin}), a cluster made by {@code initdb} in a temporary
 * folder, listening on a free loopback port, its unix socket in that folder, password
 * authentication for the user {@link #USER}. Nothing is downloaded. PostgreSQL refuses to run
 * as root, so when the tests run as root (CI does) every server command runs as the
 * {@code postgres} user that the Debian package creates, and the folder is given to it.
 *
 * <p>Without the binaries, {@link #start()} and {@link #shared()} skip the calling test (a JUnit
 * assumption that says why); under CI ({@code CI=true}) they fail instead: {@code .ci/run}
 * installs them, so there these tests must run.
 */
public final class TestPostgres implements AutoCloseable {
  public static final String USER = "schoolgate";
  public static final String PASSWORD = "test password for the trust";

  private static TestPostgres shared;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path dir;
  private final boolean asPostgres;
  private final int port;
  private boolean running;

  private TestPostgres(Path bin, Path dir, boolean asPostgres, int port) {
    this.bin = bin;
    this.dir = dir;
    this.asPostgres = asPostgres;
    this.port = port;
  }

  /** The newest {@code /usr/lib/postgresql/<version>/bin} with an {@code initdb}, or null. */
  static Path binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static double versionOf(Path dir) {
    try {
      return Double.parseDouble(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** One server for the whole test run (each test takes a database of its own: {@link #newDatabase()}). */
  public static synchronized TestPostgres shared() throws IOException {
    if (shared == null) {
      shared = start();
      TestPostgres s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "test-postgres-stop"));
    }
    return shared;
  }

  /**
   * Skips the calling test with a sentence saying why; under CI ({@code CI=true}), where
   * {@code .ci/run} installs PostgreSQL, it fails instead, so the PostgreSQL half of the suite
   * cannot vanish from CI silently (as the browser and gateway tests do).
   */
  private static void skipOutsideCi(String why) {
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("the PostgreSQL tests must run under CI, but " + why);
    }
    Assumptions.abort("PostgreSQL tests skipped: " + why);
  }

  /** A server of the caller's own (one it may stop and start), on a new cluster. */
  public static TestPostgres start() throws IOException {
    Path bin = binaries();
    if (bin == null) {
      skipOutsideCi("no /usr/lib/postgresql/*/bin/initdb here (apt-get install postgresql)");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
    if (root) {
      try {
        users.lookupPrincipalByName("postgres");
      } catch (IOException e) {
        skipOutsideCi("running as root and there is no postgres user to run the server as");
      }
    }
    Path dir = Files.createTempDirectory("schoolgate-pg-");
    Path pw = dir.resolve("pw");
    Files.writeString(pw, PASSWORD + "\n", StandardCharsets.UTF_8);
    if (root) {
      for (Path p : List.of(dir, pw)) {
        Files.setOwner(p, users.lookupPrincipalByName("postgres"));
      }
    }
    TestPostgres pg = new TestPostgres(bin, dir, root, freePort());
    pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
        "--pwfile=" + pw, "--auth=scram-sha-256", "--no-locale", "--encoding=UTF8", "--no-sync"));
    pg.startServer();
    return pg;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts the server again after {@link #stopServer()} (same port, same data). */
  public synchronized void startServer() throws IOException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
        dir.resolve("server.log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=100"
            // a cluster thrown away after the run: no fsync (commits still wait for their WAL write)
            + " -c fsync=off", "start"));
    running = true;
  }

  /** Stops the server (fast shutdown: open connections are closed, committed work is kept). */
  public synchronized void stopServer() throws IOException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "60",
        "stop"));
    running = false;
  }

  private void run(List<String> command) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (asPostgres) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    Path out = Files.createTempFile("schoolgate-pg-cmd-", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
        throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + Files.readString(out) + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of {@code database} on this server. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A new, empty database; returns its JDBC URL. */
  public String newDatabase() throws SQLException {
    String name = "sg_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  @Override
  public synchronized void close() {
    try {
      if (running) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
            "stop"));
        running = false;
      }
    } catch (IOException e) {
      // a server that will not stop is reported by the next test that needs its port; keep cleaning
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind
    }
  }
}
