package org.schoolgate.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ca init}/{@code ca show} and the checks {@code check} makes of the CA's files: modes,
 * refusals, mismatches, and that no message ever carries the key.
 */
class SchoolCaTest {
  @TempDir
  Path dir;

  private Path cert() {
    return dir.resolve("ca/schoolgate-ca.pem");
  }

  private Path key() {
    return dir.resolve("ca/schoolgate-ca.key");
  }

  private record Run(int exit, String out, String err) {}

  private Run ca(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = CaCommands.run(cert(), key(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC());
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every base64 line of the key file: none may appear in anything printed. */
  private List<String> keyLines() throws Exception {
    return Files.readAllLines(key()).stream().filter(l -> !l.startsWith("-----")).toList();
  }

  @Test
  void initWritesAKeyOnlyItsOwnerCanReadAndPrintsTheCertificatesPathAndFingerprint() throws Exception {
    Run r = ca("init", "--name", "Mellers Primary filter CA");
    assertEquals(0, r.exit(), r.err());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key())));
    SchoolCa loaded = SchoolCa.load(cert(), key());
    assertTrue(r.out().contains("certificate:  " + cert()), r.out());
    assertTrue(r.out().contains("SHA-256 fingerprint: " + loaded.fingerprint()), r.out());
    assertTrue(loaded.fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), loaded.fingerprint());
    assertEquals("CN=Mellers Primary filter CA", loaded.certificate().getSubjectX500Principal().getName());
    assertTrue(loaded.certificate().getBasicConstraints() >= 0, "a CA certificate");
    for (String line : keyLines()) {
      assertFalse(r.out().contains(line) || r.err().contains(line), "the key is never printed");
      assertFalse(loaded.toString().contains(line), "nor in the CA's toString");
    }
    Run show = ca("show");
    assertEquals(0, show.exit(), show.err());
    assertTrue(show.out().contains("SHA-256 fingerprint: " + loaded.fingerprint()), show.out());
  }

  @Test
  void initRefusesToReplaceEitherFileAndChangesNothing() throws Exception {
    assertEquals(0, ca("init").exit());
    byte[] certBefore = Files.readAllBytes(cert());
    byte[] keyBefore = Files.readAllBytes(key());
    Run again = ca("init");
    assertEquals(2, again.exit());
    assertTrue(again.err().contains("already exists") && again.err().contains("nothing was written"), again.err());
    Files.delete(cert()); // the key alone is still there: still refused, and the key is kept
    assertEquals(2, ca("init").exit());
    assertFalse(Files.exists(cert()));
    assertTrue(java.util.Arrays.equals(keyBefore, Files.readAllBytes(key())));
    assertTrue(certBefore.length > 0);
  }

  @Test
  void missingFilesAreNamedWithTheCommandThatMakesThem() {
    List<SchoolCa.Problem> problems = SchoolCa.check(cert(), key());
    assertEquals(2, problems.size(), problems::toString);
    assertFalse(problems.get(0).aboutKey());
    assertTrue(problems.get(0).message().contains(cert() + " does not exist (make the CA with: java -jar schoolgate.jar ca init)"));
    assertTrue(problems.get(1).aboutKey());
    assertEquals(2, ca("show").exit());
  }

  @Test
  void aKeyItsGroupOrOthersCanReadIsRefused() throws Exception {
    assertEquals(0, ca("init").exit());
    Files.setPosixFilePermissions(key(), PosixFilePermissions.fromString("rw-r-----"));
    List<SchoolCa.Problem> problems = SchoolCa.check(cert(), key());
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).aboutKey());
    assertTrue(problems.get(0).message().contains("can be read by other users (mode rw-r-----)"), problems::toString);
    Files.setPosixFilePermissions(key(), PosixFilePermissions.fromString("rw----r--"));
    assertEquals(1, SchoolCa.check(cert(), key()).size());
    Files.setPosixFilePermissions(key(), PosixFilePermissions.fromString("r--------"));
    assertEquals(List.of(), SchoolCa.check(cert(), key()));
  }

  @Test
  void aKeyFromAnotherCaDoesNotMatchAndIsNeverQuoted() throws Exception {
    assertEquals(0, ca("init").exit());
    Path other = dir.resolve("other");
    SchoolCa.create("another CA", Clock.systemUTC()).write(other.resolve("ca.pem"), other.resolve("ca.key"));
    List<SchoolCa.Problem> problems = SchoolCa.check(cert(), other.resolve("ca.key"));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).message().contains("does not match the certificate in " + cert()), problems::toString);
    SchoolCa.Unusable e = assertThrows(SchoolCa.Unusable.class, () -> SchoolCa.load(cert(), other.resolve("ca.key")));
    for (String line : Files.readAllLines(other.resolve("ca.key"))) {
      if (!line.startsWith("-----")) {
        assertFalse(e.getMessage().contains(line));
      }
    }
  }

  @Test
  void aGarbledKeyIsReportedInOurWordsNotTheParsers() throws Exception {
    assertEquals(0, ca("init").exit());
    List<String> lines = keyLines();
    String secret = lines.get(1);
    Files.writeString(key(), "-----BEGIN PRIVATE KEY-----\n" + secret + "\n!!\n-----END PRIVATE KEY-----\n");
    List<SchoolCa.Problem> problems = SchoolCa.check(cert(), key());
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).aboutKey());
    assertFalse(problems.get(0).message().contains(secret), problems::toString);
  }

  @Test
  void aCertificateThatIsNoCaIsRefused() throws Exception {
    assertEquals(0, ca("init").exit());
    LeafMinter minter = new LeafMinter(SchoolCa.load(cert(), key()), Clock.systemUTC());
    Files.writeString(cert(), Pem.encode(minter.mint("www.example.org")));
    List<SchoolCa.Problem> problems = SchoolCa.check(cert(), key());
    assertTrue(problems.get(0).message().contains("is not a CA certificate"), problems::toString);
  }
}
