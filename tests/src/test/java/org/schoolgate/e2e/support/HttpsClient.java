package org.schoolgate.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client as a managed device's browser is one: it trusts the roots it is given (the
 * school's CA, a test origin's certificate), sends a server name and checks the certificate
 * against it, offers ALPN h2 and http/1.1, and speaks HTTP/1.1. It runs over a socket bound to
 * the device's address, straight to the intercept listener or inside a CONNECT tunnel, and keeps
 * every byte it sent before TLS (its ClientHello) for byte-for-byte comparisons.
 */
public final class HttpsClient {
  private final SSLContext context;

  public HttpsClient(X509Certificate... roots) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    for (int i = 0; i < roots.length; i++) {
      ks.setCertificateEntry("root" + i, roots[i]);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
  }

  /** A plain socket from {@code source} to {@code listener}, which records what is written to it. */
  public static RecordingSocket connect(String source, InetSocketAddress listener) throws IOException {
    RecordingSocket s = new RecordingSocket();
    s.setSoTimeout(15_000);
    s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    s.connect(listener, 5_000);
    return s;
  }

  /** TLS over {@code over} with server name {@code sni} (null: none, and no name check), handshake done. */
  public SSLSocket handshake(Socket over, String sni) throws IOException {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(over, sni == null ? "localhost" : sni, 443, true);
    SSLParameters p = s.getSSLParameters();
    p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    p.setEndpointIdentificationAlgorithm(sni == null ? null : "HTTPS");
    p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
    s.setSSLParameters(p);
    s.startHandshake();
    return s;
  }

  /** GET / for {@code host} over {@code tls}, asking to close after it; the whole response. */
  public static HttpResult get(SSLSocket tls, String host) throws IOException {
    tls.getOutputStream().write(("GET /feed HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    tls.getOutputStream().flush();
    String raw = new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int end = raw.indexOf("\r\n\r\n");
    String[] lines = raw.substring(0, end).split("\r\n");
    String[] status = lines[0].split(" ", 3);
    java.util.Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
          k -> new java.util.ArrayList<>()).add(lines[i].substring(colon + 1).trim());
    }
    return new HttpResult(Integer.parseInt(status[1]), status.length > 2 ? status[2] : "", headers, raw.substring(end + 4));
  }

  /** A socket that keeps a copy of everything written to it. */
  public static final class RecordingSocket extends Socket {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private OutputStream out;

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        OutputStream real = super.getOutputStream();
        out = new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            real.write(b);
            record(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            real.write(b, off, len);
            record(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            real.flush();
          }
        };
      }
      return out;
    }

    private void record(byte[] b, int off, int len) {
      synchronized (sent) {
        sent.write(b, off, len);
      }
    }

    /** Every byte written so far. */
    public byte[] sent() {
      synchronized (sent) {
        return sent.toByteArray();
      }
    }
  }
}
