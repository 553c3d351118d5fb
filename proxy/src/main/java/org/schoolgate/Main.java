package org.schoolgate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.schoolgate.blocklist.Blocklists;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigException;
import org.schoolgate.config.ConfigLoader;

/**
 * The command line: {@code [run] [--config PATH]}, {@code check [--config PATH]}, {@code user ...},
 * {@code ca init|show},
 * {@code review --from D --to D --out FILE}.
 * Exit codes: 0 fine, 2 invalid configuration or usage, 1 failure to start.
 */
public final class Main {
  static final String DEFAULT_CONFIG = "config/schoolgate.yaml";

  private Main() {}

  public static void main(String[] args) {
    allowUnzeroedDirectBuffers();
    org.schoolgate.proxy.BlockPageProvider.jdkLeavesServerNameToUs();
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Without this, every direct buffer Netty allocates goes through ByteBuffer.allocateDirect,
   * which zeroes it: a CPU profile of a 100 MiB CONNECT transfer showed 3.5 % of the proxy core
   * in Unsafe.setMemory. With the DirectByteBuffer constructor reachable (the jar's manifest
   * opens java.nio), Netty allocates and frees the memory itself, unzeroed. Set before any Netty
   * class is loaded; an explicit -D on the command line wins.
   */
  static void allowUnzeroedDirectBuffers() {
    if (System.getProperty("io.netty.tryReflectionSetAccessible") == null) {
      System.setProperty("io.netty.tryReflectionSetAccessible", "true");
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(List.of(args));
    Path configPath = Path.of(DEFAULT_CONFIG);
    int at = rest.indexOf("--config");
    if (at >= 0) {
      if (at + 1 >= rest.size()) {
        err.println("--config needs a path");
        return 2;
      }
      configPath = Path.of(rest.get(at + 1));
      rest.remove(at + 1);
      rest.remove(at);
    }
    String command = rest.isEmpty() ? "run" : rest.remove(0);
    switch (command) {
      case "run":
        return serve(configPath, err);
      case "check":
        return check(configPath, out);
      case "user":
        return user(configPath, rest.toArray(new String[0]), out, err);
      case "ca":
        return ca(configPath, rest.toArray(new String[0]), out, err);
      case "review":
        return review(configPath, rest, out, err);
      case "lists": {
        Config config = loadOrPrint(configPath, err);
        return config == null ? 2 : org.schoolgate.lists.ListsCommand.run(config, java.time.Clock.systemUTC(), out);
      }
      case "help":
      case "--help":
      case "-h":
        out.println(usage());
        return 0;
      default:
        err.println("unknown command \"" + command + "\"\n" + usage());
        return 2;
    }
  }

  /** The configuration, or null once its problems are printed to {@code err}. */
  private static Config loadOrPrint(Path configPath, PrintStream err) {
    try {
      return ConfigLoader.load(configPath);
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return null;
    }
  }

  private static int user(Path configPath, String[] args, PrintStream out, PrintStream err) {
    Config config = loadOrPrint(configPath, err);
    if (config == null) {
      return 2;
    }
    var stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    return org.schoolgate.cli.UserCommands.run(config, java.time.Clock.systemUTC(), args, stdin, out, err);
  }

  /** {@code ca init|show}: the configuration only says where the CA's files are (they need not exist yet). */
  private static int ca(Path configPath, String[] args, PrintStream out, PrintStream err) {
    Config config = loadOrPrint(configPath, err);
    if (config == null) {
      return 2;
    }
    Config.TlsBlockPage t = config.tlsBlockPage();
    return org.schoolgate.ca.CaCommands.run(t.caCert(), t.caKey(), args, out, err, java.time.Clock.systemUTC());
  }

  /**
   * With {@code tls_block_page.networks} set, what is wrong with the CA's two files, each as
   * {@code tls_block_page.ca_cert: ...} or {@code tls_block_page.ca_key: ...}; nothing when it is off.
   */
  static List<String> caProblems(Config config) {
    Config.TlsBlockPage t = config.tlsBlockPage();
    if (!t.on()) {
      return List.of();
    }
    return org.schoolgate.ca.SchoolCa.check(t.caCert(), t.caKey()).stream()
        .map(p -> "tls_block_page." + (p.aboutKey() ? "ca_key" : "ca_cert") + ": " + p.message()).toList();
  }

  private static int review(Path configPath, List<String> args, PrintStream out, PrintStream err) {
    Config config = loadOrPrint(configPath, err);
    return config == null ? 2 : org.schoolgate.review.ReviewCommand.run(config, args, java.time.Clock.systemUTC(), out, err);
  }

  private static String usage() {
    return "usage: java -jar schoolgate.jar [run] [--config PATH]\n"
        + "       java -jar schoolgate.jar check [--config PATH]\n"
        + "       java -jar schoolgate.jar user add NAME --role head|netmgr|staff [--config PATH]   (password on standard input)\n"
        + "       java -jar schoolgate.jar user remove NAME | user list [--config PATH]\n"
        + "       java -jar schoolgate.jar ca init [--name \"School filter CA\"] | ca show [--config PATH]\n"
        + "       java -jar schoolgate.jar review --from YYYY-MM-DD --to YYYY-MM-DD --out review.html [--config PATH]\n"
        + "       java -jar schoolgate.jar lists [--config PATH]   (the list subscriptions' state; 1 when one has no good copy)\n"
        + "the default PATH is " + DEFAULT_CONFIG;
  }

  /** Validates the configuration and every list; prints each problem; 0 when there are none. */
  static int check(Path configPath, PrintStream out) {
    List<String> problems = new ArrayList<>();
    Config config = null;
    try {
      config = ConfigLoader.load(configPath);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    if (config != null) {
      problems.addAll(caProblems(config));
      try {
        problems.addAll(Blocklists.checkAll(config.blocklists()));
      } catch (IOException e) {
        problems.add("blocklists: cannot read " + config.blocklists() + ": " + e.getMessage());
      }
    }
    problems.forEach(out::println);
    if (problems.isEmpty()) {
      out.println(configPath + ": configuration and blocklists are valid");
      return 0;
    }
    return 2;
  }

  private static int serve(Path configPath, PrintStream err) {
    Config config;
    try {
      config = ConfigLoader.load(configPath);
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      err.println("schoolgate did not start: the configuration has " + e.problems().size() + " problem(s)");
      return 2;
    }
    List<String> ca = caProblems(config);
    if (!ca.isEmpty()) {
      ca.forEach(err::println);
      err.println("schoolgate did not start: the configuration has " + ca.size() + " problem(s)");
      return 2;
    }
    Schoolgate server;
    try {
      server = Schoolgate.start(config, Schoolgate.Options.defaults());
    } catch (IOException e) {
      err.println("schoolgate did not start: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "schoolgate-shutdown"));
    System.out.println(server.readyLine());
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
