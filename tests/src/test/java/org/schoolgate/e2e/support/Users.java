package org.schoolgate.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Makes admin users the way a network manager does: {@code java -jar schoolgate.jar user add}. */
public final class Users {
  public static final String PASSWORD = "correct horse battery";

  private Users() {}

  public static void add(Path config, String name, String role) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of(System.getProperty("schoolgate.jar", "../proxy/target/schoolgate.jar")).toString(),
        "user", "add", name, "--role", role, "--config", config.toString()).redirectErrorStream(true).start();
    p.getOutputStream().write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), "user add " + name + ": " + out);
  }
}
