package org.schoolgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.e2e.CommandLineTest.Run;
import org.schoolgate.e2e.support.ProxyHarness;

/**
 * {@code ca init}, {@code ca show} and {@code check} as a network manager runs them, from the
 * shaded jar (BouncyCastle inside it, its signature files left out): the key's mode, the refusal
 * to replace a CA, and check's refusals of a CA that cannot be used, each naming its field.
 */
class CaCommandLineTest {
  private static final String BLOCK_PAGE = "tls_block_page:\n  networks: [127.0.10.0/24]\n";

  private static Path config(Path dir, String extra) throws Exception {
    return ProxyHarness.writeConfig(dir, 80, 443, 53, y -> y + extra);
  }

  private static String keyText(Path key) throws Exception {
    return String.join("", Files.readAllLines(key).stream().filter(l -> !l.startsWith("-----")).toList());
  }

  @Test
  void caInitMakesA0600KeyPrintsTheFingerprintAndNeverReplacesACa(@TempDir Path dir) throws Exception {
    Path config = config(dir, "");
    Run init = CommandLineTest.run("ca", "init", "--config", config.toString(), "--name", "Mellers Primary filter CA");
    assertEquals(0, init.exit(), init.out() + init.err());
    Path cert = dir.resolve("ca/schoolgate-ca.pem");
    Path key = dir.resolve("ca/schoolgate-ca.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    byte[] der = java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(Files.newInputStream(cert)).getEncoded();
    String fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    assertTrue(init.out().contains(cert.toString()) && init.out().contains(fingerprint), init.out());
    assertFalse(init.out().contains(keyText(key).substring(0, 40)), "the key is never printed");

    Run show = CommandLineTest.run("ca", "show", "--config", config.toString());
    assertEquals(0, show.exit(), show.err());
    assertTrue(show.out().contains(cert.toString()) && show.out().contains(fingerprint), show.out());

    String keyBefore = Files.readString(key);
    Run again = CommandLineTest.run("ca", "init", "--config", config.toString());
    assertEquals(2, again.exit());
    assertTrue(again.err().contains("already exists"), again.err());
    assertEquals(keyBefore, Files.readString(key), "the CA devices trust is untouched");
  }

  @Test
  void checkRefusesACaThatCannotBeUsedNamingTheField(@TempDir Path dir) throws Exception {
    Path config = config(dir, BLOCK_PAGE);
    Run missing = CommandLineTest.run("check", "--config", config.toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.out().contains("tls_block_page.ca_cert: " + dir.resolve("ca/schoolgate-ca.pem") + " does not exist"),
        missing.out());
    Run serve = CommandLineTest.run("--config", config.toString());
    assertEquals(2, serve.exit(), "the server does not start either");
    assertTrue(serve.err().contains("tls_block_page.ca_key: "), serve.err());

    assertEquals(0, CommandLineTest.run("ca", "init", "--config", config.toString()).exit());
    Run ok = CommandLineTest.run("check", "--config", config.toString());
    assertEquals(0, ok.exit(), ok.out());

    Path key = dir.resolve("ca/schoolgate-ca.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Run readable = CommandLineTest.run("check", "--config", config.toString());
    assertEquals(2, readable.exit());
    assertTrue(readable.out().contains("tls_block_page.ca_key: " + key + " can be read by other users"), readable.out());

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Path otherConfig = config(other, "");
    assertEquals(0, CommandLineTest.run("ca", "init", "--config", otherConfig.toString()).exit());
    Files.copy(other.resolve("ca/schoolgate-ca.pem"), dir.resolve("ca/schoolgate-ca.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Run mismatch = CommandLineTest.run("check", "--config", config.toString());
    assertEquals(2, mismatch.exit());
    assertTrue(mismatch.out().contains("tls_block_page.ca_key: " + key + " does not match the certificate"), mismatch.out());
    for (String text : List.of(mismatch.out(), mismatch.err(), readable.out(), missing.out(), serve.err())) {
      assertFalse(text.contains(keyText(key).substring(0, 40)), "no message quotes the key");
    }
  }
}
