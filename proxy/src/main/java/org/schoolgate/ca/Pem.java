package org.schoolgate.ca;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM files and text to and from certificates and private keys. A key that cannot be read is reported
 * without the parser's words: they may quote what they failed on, and that is the key.
 */
final class Pem {
  /** Why a PEM file could not be used, in words safe to print. */
  static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(String message) {
      super(message, null, false, false);
    }
  }

  private Pem() {}

  /**
   * The text of a PEM file; Unusable when it is missing, unreadable, or (a key) readable by others
   * (the message follows the file's name).
   */
  static String read(Path file, boolean isKey) throws Unusable {
    try {
      if (isKey && Files.getFileStore(file).supportsFileAttributeView("posix")) {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
          throw new Unusable("can be read by other users (mode " + PosixFilePermissions.toString(mode)
              + "): the CA's key must be readable by schoolgate's user only (chmod 600 " + file + ")");
        }
      }
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new Unusable("does not exist (make the CA with: java -jar schoolgate.jar ca init)");
    } catch (AccessDeniedException e) {
      throw new Unusable("cannot be read by this user (is it owned by schoolgate's user?)");
    } catch (IOException e) {
      throw new Unusable("cannot be read: " + e.getClass().getSimpleName());
    }
  }

  static String encode(X509Certificate certificate) throws CertificateEncodingException {
    return encode("CERTIFICATE", certificate.getEncoded());
  }

  /** PKCS#8 ("PRIVATE KEY"), unencrypted: the JDK's own encoding, which names an EC key's curve, as OpenSSL writes it. */
  static String encode(PrivateKey key) {
    return encode("PRIVATE KEY", key.getEncoded());
  }

  private static String encode(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The first certificate in {@code text}. */
  static X509Certificate certificate(String text) throws Unusable {
    try (PEMParser p = new PEMParser(new StringReader(text))) {
      for (Object o; (o = p.readObject()) != null; ) {
        if (o instanceof X509CertificateHolder holder) {
          return new JcaX509CertificateConverter().getCertificate(holder);
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new Unusable("is not a PEM certificate (" + e.getMessage() + ")");
    }
    throw new Unusable("holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\")");
  }

  /** The private key in {@code text}: PKCS#8 ("PRIVATE KEY") or traditional ("EC/RSA PRIVATE KEY"), unencrypted. */
  static PrivateKey privateKey(String text) throws Unusable {
    Object o;
    try (PEMParser p = new PEMParser(new StringReader(text))) {
      do {
        o = p.readObject();
      } while (o != null && !(o instanceof PrivateKeyInfo) && !(o instanceof PEMKeyPair)
          && !o.getClass().getSimpleName().contains("Encrypted"));
    } catch (IOException | RuntimeException e) {
      throw new Unusable("is not a PEM private key"); // never the parser's message: it may quote the key
    }
    if (o == null) {
      throw new Unusable("holds no PEM private key (\"-----BEGIN PRIVATE KEY-----\")");
    }
    if (!(o instanceof PrivateKeyInfo) && !(o instanceof PEMKeyPair)) {
      throw new Unusable("is encrypted: schoolgate needs the key unencrypted, in a file only its own user can read");
    }
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      return o instanceof PEMKeyPair pair ? converter.getPrivateKey(pair.getPrivateKeyInfo())
          : converter.getPrivateKey((PrivateKeyInfo) o);
    } catch (IOException | RuntimeException e) {
      throw new Unusable("holds a private key of a kind schoolgate cannot use (EC or RSA)");
    }
  }
}
