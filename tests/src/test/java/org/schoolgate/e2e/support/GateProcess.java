package org.schoolgate.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped jar run as a child process, as a network manager runs it, with JVM options of the
 * test's choosing (a small direct-memory cap, say). Returns once it prints its ready line.
 */
public final class GateProcess implements AutoCloseable {
  public static final Path JAR = Path.of(System.getProperty("schoolgate.jar", "../proxy/target/schoolgate.jar"));

  private final Process process;
  private final String ready;

  private GateProcess(Process process, String ready) {
    this.process = process;
    this.ready = ready;
  }

  public static GateProcess start(Path config, String... jvmOptions) throws IOException {
    return start(config, 0, jvmOptions);
  }

  /** As {@link #start(Path, String...)}, with the process's open-file limit lowered to {@code maxFiles} (0: as is). */
  public static GateProcess start(Path config, int maxFiles, String... jvmOptions) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (maxFiles > 0) {
      cmd.addAll(List.of("prlimit", "--nofile=" + maxFiles + ":" + maxFiles, "--"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-jar", JAR.toString(), "--config", config.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(config.resolveSibling("stderr.log").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("schoolgate ready:")) {
      p.destroyForcibly();
      throw new IOException("schoolgate did not start: " + line + "; see " + config.resolveSibling("stderr.log"));
    }
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // keep the pipe from filling
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "gate-stdout");
    drain.setDaemon(true);
    drain.start();
    return new GateProcess(p, line);
  }

  public InetSocketAddress address(String listener) {
    Matcher m = Pattern.compile(listener + "=127\\.0\\.0\\.1:(\\d+)").matcher(ready);
    if (!m.find()) {
      throw new AssertionError("no " + listener + " in " + ready);
    }
    return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, and wait for it to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("schoolgate did not die");
    }
  }

  /** The exit status, once the process has ended. */
  public int exitValue() {
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
