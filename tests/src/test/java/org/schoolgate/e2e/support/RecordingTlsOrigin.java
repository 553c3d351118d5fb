package org.schoolgate.e2e.support;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TLS origin on a plain server socket that keeps the raw bytes of each connection's first TLS
 * record (the ClientHello, as it arrived) before its own TLS layer reads them again
 * ({@code SSLSocketFactory.createSocket(socket, consumed, ...)}), so a test can compare byte for
 * byte what the client sent with what reached the origin, and still complete the handshake with
 * the origin's own certificate. A request is answered {@code 200 origin}, then the connection closes.
 */
public final class RecordingTlsOrigin implements AutoCloseable {
  private final ServerSocket server;
  private final SSLContext tls;
  private final List<byte[]> hellos = new CopyOnWriteArrayList<>();

  public RecordingTlsOrigin(TestTls certificate) throws Exception {
    this.tls = SSLContext.getInstance("TLS");
    javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("origin", certificate.keys.getPrivate(), new char[0], new java.security.cert.Certificate[] {certificate.certificate});
    kmf.init(ks, new char[0]);
    tls.init(kmf.getKeyManagers(), null, null);
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread t = new Thread(this::accept, "recording-tls-origin");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The first TLS record of each connection, in the order they arrived. */
  public List<byte[]> hellos() {
    return List.copyOf(hellos);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "recording-tls-origin-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket raw) {
    try (raw) {
      raw.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(raw.getInputStream());
      byte[] header = new byte[5];
      in.readFully(header);
      byte[] record = new byte[5 + (((header[3] & 0xff) << 8) | (header[4] & 0xff))];
      System.arraycopy(header, 0, record, 0, 5);
      in.readFully(record, 5, record.length - 5);
      hellos.add(record);
      SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, new ByteArrayInputStream(record), true);
      s.setUseClientMode(false);
      s.startHandshake();
      InputStream sin = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int c = sin.read();
        if (c == -1) {
          return;
        }
        head.append((char) c);
      }
      OutputStream out = s.getOutputStream();
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\norigin".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException e) {
      // the client or the proxy went away: what was recorded stays
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
