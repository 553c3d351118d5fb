package org.schoolgate.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The school's CA: its certificate and its private key, from two PEM files. The key is held
 * here and in no record or message: {@link #toString} names the certificate only, and every
 * problem with the key file is said in words of our own, never the parser's.
 */
public final class SchoolCa {
  /** How long {@code ca init}'s certificate is valid: devices trust it until then. */
  static final Duration CA_LIFETIME = Duration.ofDays(10 * 365);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private SchoolCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A problem with one of the two files, in a sentence that names the file and never quotes the key. */
  public record Problem(boolean aboutKey, String message) {}

  /** The CA could not be loaded; {@link #problems} says why, file by file. */
  public static final class Unusable extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    Unusable(List<Problem> problems) {
      super(problems.get(0).message(), null);
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  PrivateKey key() {
    return key;
  }

  /** The certificate's SHA-256 fingerprint as device-management consoles show it: {@code AB:CD:...}. */
  public String fingerprint() {
    return fingerprint(certificate);
  }

  static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }

  @Override
  public String toString() {
    return "school CA " + certificate.getSubjectX500Principal().getName() + " (" + fingerprint() + ")";
  }

  /** Reads and checks both files (see {@link #check}); the CA, or every problem found. */
  public static SchoolCa load(Path certFile, Path keyFile) throws Unusable {
    List<Problem> problems = new ArrayList<>();
    SchoolCa ca = read(certFile, keyFile, problems);
    if (ca == null) {
      throw new Unusable(problems);
    }
    return ca;
  }

  /**
   * What is wrong with the two files, if anything: either missing or unreadable, not PEM, a
   * certificate that is no CA or is out of date, a key that its group or others can read, or a
   * key that does not match the certificate.
   */
  public static List<Problem> check(Path certFile, Path keyFile) {
    List<Problem> problems = new ArrayList<>();
    read(certFile, keyFile, problems);
    return problems;
  }

  /** Reads only the certificate (for {@code ca show}, which needs no key). */
  public static X509Certificate readCertificate(Path certFile) throws Unusable {
    List<Problem> problems = new ArrayList<>();
    X509Certificate c = certificate(certFile, problems);
    if (c == null) {
      throw new Unusable(problems);
    }
    return c;
  }

  private static SchoolCa read(Path certFile, Path keyFile, List<Problem> problems) {
    X509Certificate cert = certificate(certFile, problems);
    PrivateKey key = privateKey(keyFile, problems);
    if (cert == null || key == null) {
      return null;
    }
    if (!matches(cert, key)) {
      problems.add(new Problem(true, keyFile + " does not match the certificate in " + certFile
          + " (they are not one key pair: were they made together?)"));
      return null;
    }
    return new SchoolCa(cert, key);
  }

  private static X509Certificate certificate(Path file, List<Problem> problems) {
    X509Certificate c;
    try {
      c = Pem.certificate(Pem.read(file, false));
    } catch (Pem.Unusable e) {
      problems.add(new Problem(false, file + " " + e.getMessage()));
      return null;
    }
    if (c.getBasicConstraints() < 0) {
      problems.add(new Problem(false, file + " is not a CA certificate (its basic constraints do not say CA:TRUE)"));
      return null;
    }
    try {
      c.checkValidity();
      return c;
    } catch (CertificateExpiredException e) {
      problems.add(new Problem(false, file + " expired on " + c.getNotAfter().toInstant()
          + ": make a new CA and deploy it to the devices"));
    } catch (CertificateNotYetValidException e) {
      problems.add(new Problem(false, file + " is not valid until " + c.getNotBefore().toInstant()
          + " (is this machine's clock right?)"));
    }
    return null;
  }

  private static PrivateKey privateKey(Path file, List<Problem> problems) {
    try {
      return Pem.privateKey(Pem.read(file, true));
    } catch (Pem.Unusable e) {
      problems.add(new Problem(true, file + " " + e.getMessage()));
      return null;
    }
  }

  /** True when {@code key} is the private half of the certificate's public key: it signs what the certificate verifies. */
  private static boolean matches(X509Certificate cert, PrivateKey key) {
    if (!cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    try {
      String algorithm = signatureAlgorithm(key);
      byte[] probe = "schoolgate".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] signed = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(signed);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** SHA256withECDSA or SHA256withRSA, for the CA's key. */
  static String signatureAlgorithm(PrivateKey key) {
    return "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
  }

  // ---- ca init ----

  /** A new CA named {@code commonName}: an EC P-256 key and a self-signed certificate valid for ten years. */
  public static SchoolCa create(String commonName, Clock clock) {
    try {
      KeyPair pair = ecKeyPair();
      Instant now = clock.instant();
      X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      var builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(CA_LIFETIME)), name, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(signatureAlgorithm(pair.getPrivate())).build(pair.getPrivate())));
      return new SchoolCa(cert, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("making the CA failed: " + e.getClass().getSimpleName(), e);
    }
  }

  static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return gen.generateKeyPair();
  }

  /** A positive random serial of 127 bits (CA/Browser Forum: at least 64 bits of randomness). */
  static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(0);
  }

  /**
   * Writes the certificate and the key, refusing to replace either file. The key file is created
   * with mode 0600 (never more open for a moment), before anything is written into it.
   */
  public void write(Path certFile, Path keyFile) throws IOException {
    for (Path p : List.of(keyFile, certFile)) {
      if (Files.exists(p)) {
        throw new FileAlreadyExistsException(p.toString(), null,
            "already exists: schoolgate never replaces a CA (devices trust the one they have); move it away first");
      }
    }
    String certPem;
    try {
      certPem = Pem.encode(certificate);
    } catch (CertificateEncodingException e) {
      throw new IOException("cannot encode the certificate", e);
    }
    createParent(keyFile);
    createParent(certFile);
    if (Files.getFileStore(keyFile.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
      Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(keyFile);
    }
    try {
      Files.writeString(keyFile, Pem.encode(key), StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
      Files.writeString(certFile, certPem, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      Files.deleteIfExists(keyFile); // half a CA is no CA: the next ca init starts clean
      throw e;
    }
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
