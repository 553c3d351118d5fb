package org.schoolgate.e2e.support;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate made in the test for the test's names, a server context for the
 * upstream TLS server, and a client that trusts exactly that certificate and sends SNI.
 */
public final class TestTls {
  public final KeyPair keys;
  public final X509Certificate certificate;

  public TestTls(List<String> names) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    keys = gen.generateKeyPair();
    Instant now = Instant.now();
    GeneralName[] sans = names.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
    var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=schoolgate-test"), new BigInteger(64, new SecureRandom()),
        Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
        new X500Name("CN=" + names.get(0)), keys.getPublic())
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
    certificate = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  /** The certificate in PEM, for clients such as curl (--cacert). */
  public String certificatePem() throws java.security.cert.CertificateEncodingException {
    return "-----BEGIN CERTIFICATE-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  public SslContext serverContext() throws IOException {
    return SslContextBuilder.forServer(keys.getPrivate(), certificate).build();
  }

  public SSLContext clientContext() throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("test", certificate);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** Starts TLS over an existing socket (a CONNECT tunnel or an intercepted connection), with SNI {@code serverName}. */
  public SSLSocket handshake(Socket over, String serverName, int port) throws Exception {
    SSLSocket s = (SSLSocket) clientContext().getSocketFactory().createSocket(over, serverName, port, true);
    SSLParameters p = s.getSSLParameters();
    if (serverName != null) {
      p.setServerNames(List.of(new SNIHostName(serverName)));
    } else {
      p.setServerNames(List.of());
    }
    p.setEndpointIdentificationAlgorithm(serverName != null ? "HTTPS" : null);
    s.setSSLParameters(p);
    s.startHandshake();
    return s;
  }
}
