package org.schoolgate.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.schoolgate.values.HostSyntax;

/**
 * Signs a certificate for one blocked name with the school's CA, so that a managed device can
 * complete the TLS handshake and read why the site is blocked. Every leaf carries the same EC
 * P-256 public key, made once here (key generation is the slow part; signing is not), and is
 * valid for {@link #LIFETIME} from an hour ago (a device whose clock is a little behind still
 * accepts it). Thread-safe: nothing is shared between calls but immutable values.
 */
public final class LeafMinter {
  /** notAfter - notBefore of every leaf (SPEC section 9: at most 7 days). */
  public static final Duration LIFETIME = Duration.ofDays(7);
  /** How far before now a leaf's validity starts, for devices whose clocks run a little slow. */
  static final Duration BACKDATE = Duration.ofHours(1);
  /** X.520's upper bound on a common name; a longer host goes in the SAN alone. */
  private static final int MAX_CN = 64;

  private final SchoolCa ca;
  private final KeyPair leafKeys;
  private final Clock clock;
  private final X500Name issuer;
  private final Extension authorityKeyId;
  private final String signatureAlgorithm;

  /**
   * @param clock the real time: devices check the leaf against their own clocks, so this is never
   *              the policy's clock (which tests move about)
   */
  public LeafMinter(SchoolCa ca, Clock clock) {
    this.ca = ca;
    this.clock = clock;
    try {
      this.leafKeys = SchoolCa.ecKeyPair();
      this.issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
      this.authorityKeyId = new Extension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()).getEncoded());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("preparing to sign leaves failed: " + e.getClass().getSimpleName(), e);
    }
    this.signatureAlgorithm = SchoolCa.signatureAlgorithm(ca.key());
  }

  /** The private key of every leaf. */
  public PrivateKey leafKey() {
    return leafKeys.getPrivate();
  }

  /** The CA's certificate, which a leaf's chain ends with (the handshake benchmark trusts it). */
  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  /**
   * A leaf for {@code host}: a normalised host name (a DNS SAN) or an IP literal (an IP SAN),
   * signed by the CA, for TLS servers only.
   */
  public X509Certificate mint(String host) {
    return mint(java.util.List.of(host));
  }

  /**
   * A leaf for several names at once (the admin console's, {@code admin.tls.from_ca}): each a host
   * name or an IP literal, the first also the common name.
   */
  public X509Certificate mint(java.util.List<String> hosts) {
    GeneralName[] sans = new GeneralName[hosts.size()];
    for (int i = 0; i < sans.length; i++) {
      String h = hosts.get(i);
      String n = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
      sans[i] = new GeneralName(HostSyntax.isIpLiteral(n) ? GeneralName.iPAddress : GeneralName.dNSName, n);
    }
    String first = hosts.get(0);
    String name = first.startsWith("[") && first.endsWith("]") ? first.substring(1, first.length() - 1) : first;
    Instant notBefore = clock.instant().minus(BACKDATE);
    X500Name subject = name.length() <= MAX_CN
        ? new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build()
        : new X500Name(new RDN[0]);
    try {
      var builder = new JcaX509v3CertificateBuilder(issuer, SchoolCa.serial(), Date.from(notBefore),
          Date.from(notBefore.plus(LIFETIME)), subject, leafKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          // critical when the subject is empty (RFC 5280 4.2.1.6)
          .addExtension(Extension.subjectAlternativeName, name.length() > MAX_CN,
              new GeneralNames(sans))
          .addExtension(authorityKeyId);
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(ca.key())));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("signing a leaf failed: " + e.getClass().getSimpleName(), e);
    }
  }
}
