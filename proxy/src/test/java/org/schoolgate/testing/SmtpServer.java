package org.schoolgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real SMTP server on loopback for tests: STARTTLS with a self-signed certificate for
 * 127.0.0.1 (the keystore beside this class), AUTH PLAIN and LOGIN with one account, and no
 * mail accepted before both. It can be taken {@link #down} and brought {@link #up} again on the
 * same port, to test delivery while the mail server is away.
 */
public final class SmtpServer implements AutoCloseable {
  /** One message as received: the envelope, who signed in, and the data as sent (headers and body). */
  public record Mail(String from, List<String> to, String user, String data) {
    /** The value of the first header {@code name}, or null. */
    public String header(String name) {
      for (String line : data.split("\r\n")) {
        if (line.isEmpty()) {
          return null;
        }
        if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
          return line.substring(name.length() + 1).strip();
        }
      }
      return null;
    }
  }

  private final String user;
  private final String password;
  private final SSLContext tls;
  private final List<Mail> received = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;
  private volatile int port;

  public SmtpServer(String user, String password) throws Exception {
    this.user = user;
    this.password = password;
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = SmtpServer.class.getResourceAsStream("smtp-test.p12")) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
  }

  /** A socket factory that trusts this server's certificate (and nothing else): what the client under test uses. */
  public SSLSocketFactory clientTls() {
    return tls.getSocketFactory();
  }

  /** The keystore a client JVM can use as its trust store ({@code javax.net.ssl.trustStore}, password changeit). */
  public static java.nio.file.Path trustStore(java.nio.file.Path dir) throws IOException {
    java.nio.file.Path file = dir.resolve("smtp-test.p12");
    try (InputStream in = SmtpServer.class.getResourceAsStream("smtp-test.p12")) {
      java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  /** Listens on 127.0.0.1 (a new port the first time, the same one after {@link #down}). */
  public synchronized SmtpServer up() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    port = s.getLocalPort();
    server = s;
    Thread accept = new Thread(() -> acceptLoop(s), "test-smtp-accept");
    accept.setDaemon(true);
    accept.start();
    return this;
  }

  /** Stops listening: a client now gets "connection refused". */
  public synchronized void down() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  public int port() {
    return port;
  }

  public List<Mail> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() throws IOException {
    down();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket c = s.accept();
        Thread t = new Thread(() -> session(c), "test-smtp-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void session(Socket socket) {
    Socket s = socket;
    try (socket) {
      s.setSoTimeout(20_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      boolean secure = false;
      String signedIn = null;
      String from = null;
      List<String> to = new ArrayList<>();
      reply(out, "220 localhost ESMTP schoolgate-test");
      for (String line; (line = readLine(in)) != null; ) {
        String upper = line.toUpperCase(java.util.Locale.ROOT);
        if (upper.startsWith("EHLO")) {
          reply(out, secure ? "250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME" : "250-localhost\r\n250-STARTTLS\r\n250 8BITMIME");
        } else if (upper.startsWith("HELO")) {
          reply(out, "250 localhost");
        } else if (upper.equals("STARTTLS") && !secure) {
          reply(out, "220 go ahead");
          SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, "127.0.0.1", s.getPort(), true);
          t.setUseClientMode(false);
          t.startHandshake();
          s = t;
          in = t.getInputStream();
          out = t.getOutputStream();
          secure = true;
        } else if (upper.startsWith("AUTH PLAIN") && secure) {
          String arg = line.length() > 10 ? line.substring(10).strip() : "";
          if (arg.isEmpty()) {
            reply(out, "334 ");
            arg = readLine(in);
          }
          String[] parts = new String(Base64.getDecoder().decode(arg), StandardCharsets.UTF_8).split("\0", -1);
          signedIn = parts.length == 3 && parts[1].equals(user) && parts[2].equals(password) ? user : null;
          reply(out, signedIn != null ? "235 ok" : "535 bad credentials");
        } else if (upper.startsWith("AUTH LOGIN") && secure) {
          reply(out, "334 VXNlcm5hbWU6");
          String u = new String(Base64.getDecoder().decode(readLine(in)), StandardCharsets.UTF_8);
          reply(out, "334 UGFzc3dvcmQ6");
          String p = new String(Base64.getDecoder().decode(readLine(in)), StandardCharsets.UTF_8);
          signedIn = u.equals(user) && p.equals(password) ? user : null;
          reply(out, signedIn != null ? "235 ok" : "535 bad credentials");
        } else if (upper.startsWith("MAIL FROM:")) {
          if (!secure || signedIn == null) {
            reply(out, "530 STARTTLS and AUTH first");
            continue;
          }
          from = address(line);
          to.clear();
          reply(out, "250 ok");
        } else if (upper.startsWith("RCPT TO:") && from != null) {
          to.add(address(line));
          reply(out, "250 ok");
        } else if (upper.equals("DATA") && from != null && !to.isEmpty()) {
          reply(out, "354 end with .");
          StringBuilder data = new StringBuilder();
          for (String d; (d = readLine(in)) != null && !d.equals("."); ) {
            data.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n");
          }
          received.add(new Mail(from, List.copyOf(to), signedIn, data.toString()));
          from = null;
          reply(out, "250 queued");
        } else if (upper.equals("RSET") || upper.equals("NOOP")) {
          from = null;
          reply(out, "250 ok");
        } else if (upper.equals("QUIT")) {
          reply(out, "221 bye");
          return;
        } else {
          reply(out, "502 not here");
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away: nothing to keep
    }
  }

  private static String address(String line) {
    int lt = line.indexOf('<');
    int gt = line.indexOf('>');
    return lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : line.substring(line.indexOf(':') + 1).strip();
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One CRLF-terminated line, byte by byte (nothing read ahead, so STARTTLS can take over the socket). */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != -1; ) {
      if (c == '\n') {
        byte[] bytes = b.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      b.write(c);
    }
    return null;
  }
}
