package org.schoolgate.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code identity} section (SPEC 15): read whole, and every problem names its field. */
class IdentityConfigTest {
  static final String IDENTITY = """
      identity:
        radius_accounting:
          listen: 0.0.0.0:1813
          clients: [10.0.0.2/32]
          secret_file: radius.secret
        users:
          - {match: "*@Staff.Mellers.sch.uk", group: staff}
          - {match: "*@mellers.sch.uk", group: pupils}
        session_max: 12h
      """;

  @TempDir
  Path dir;

  private Path write(String identity) throws Exception {
    ConfigLoaderTest.writeBlocklists(dir.resolve("blocklists"));
    Files.writeString(dir.resolve("radius.secret"), "s3cret-value\nsecond line ignored\n");
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, ConfigLoaderTest.VALID + identity);
    return file;
  }

  private List<String> problemsOf(String identity) throws Exception {
    Path file = write(identity);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(file)).problems();
  }

  @Test
  void theSpecExampleLoads() throws Exception {
    Config.Identity i = ConfigLoader.load(write(IDENTITY)).identity();
    assertEquals(new InetSocketAddress("0.0.0.0", 1813), i.listen());
    assertEquals("10.0.0.2/32", i.clients().get(0).toString());
    assertArrayEquals("s3cret-value".getBytes(StandardCharsets.UTF_8), i.secret());
    assertEquals(List.of(new Config.UserRule("*@staff.mellers.sch.uk", "staff"),
        new Config.UserRule("*@mellers.sch.uk", "pupils")), i.users());
    assertEquals(Duration.ofHours(12), i.sessionMax());
  }

  @Test
  void absentIsOffAndSessionMaxDefaultsTo12Hours() throws Exception {
    assertNull(ConfigLoader.load(write("")).identity());
    Config.Identity i = ConfigLoader.load(write(IDENTITY.replace("  session_max: 12h\n", ""))).identity();
    assertEquals(Duration.ofHours(12), i.sessionMax());
  }

  @Test
  void eachProblemNamesItsField() throws Exception {
    assertEquals(List.of("identity.users[1].group: \"teachers\" is not a group (groups: pupils, staff, office)"),
        problemsOf(IDENTITY.replace("group: pupils", "group: teachers")));
    assertEquals(List.of("identity.users[0].match: \"staff*@x\" is not a user rule (an exact name, \"*@domain\" or \"prefix*\")"),
        problemsOf(IDENTITY.replace("*@Staff.Mellers.sch.uk", "staff*@x")));
    assertEquals(List.of("identity.radius_accounting.clients[0]: \"10.0.0.2/40\" is not a CIDR block"),
        problemsOf(IDENTITY.replace("10.0.0.2/32", "10.0.0.2/40")).stream().map(p -> p.replaceAll(" \\(.*", "")).toList());
    assertEquals(List.of("identity.radius_accounting.secret_file: cannot read " + dir.resolve("nope.secret")
        + " (the file holds the RADIUS shared secret on its first line)"),
        problemsOf(IDENTITY.replace("radius.secret", "nope.secret")));
    assertEquals(List.of("identity.session_max: must be more than zero"), problemsOf(IDENTITY.replace("12h", "0s")));
    assertEquals(List.of("identity.radius_accounting.clients: is required: the Wi-Fi controllers and switches allowed to send (CIDR blocks)"),
        problemsOf(IDENTITY.replace("    clients: [10.0.0.2/32]\n", "")));
    assertEquals("identity.radius_accounting.secert_file: unknown key (known here: clients, listen, secret_file)",
        problemsOf(IDENTITY.replace("secret_file", "secert_file")).get(0));
  }

  @Test
  void anEmptySecretFileIsRefused() throws Exception {
    Path file = write(IDENTITY);
    Files.writeString(dir.resolve("radius.secret"), "\n");
    List<String> problems = assertThrows(ConfigException.class, () -> ConfigLoader.load(file)).problems();
    assertEquals(List.of("identity.radius_accounting.secret_file: " + dir.resolve("radius.secret")
        + " has no secret on its first line"), problems);
  }
}
