package org.schoolgate.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A real HTTP/1.1 client on a raw socket bound to a chosen source address, the way a device on
 * a pupil (127.0.10.x), staff (127.0.20.x) or office (127.0.30.x) VLAN would reach the proxy.
 * Requests are written byte for byte, so tests can also send malformed ones.
 */
public final class VlanClient implements AutoCloseable {
  public static final String PUPIL = "127.0.10.5";
  public static final String STAFF = "127.0.20.5";
  public static final String OFFICE = "127.0.30.5";
  public static final String UNKNOWN = "127.0.99.5";
  private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * A pupil device no other test uses. Tests of circumvention attempts take a fresh one each,
   * so that attempts from different tests never add up to supervision.
   */
  public static String freshPupil() {
    int n = NEXT.getAndIncrement() % 2000; // 127.0.11.2 to 127.0.18.251: no network, so the default group (pupils)
    return "127.0.1" + (1 + n / 250) + "." + (2 + n % 250);
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public VlanClient(String source, InetSocketAddress proxy) throws IOException {
    socket = new Socket();
    socket.setSoTimeout(15_000);
    socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    socket.connect(proxy, 5_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public Socket socket() {
    return socket;
  }

  /** GET through the explicit proxy (absolute-form). */
  public HttpResult get(String url) throws IOException {
    String hostPort = url.replaceFirst("^http://", "").replaceFirst("/.*$", "");
    return send("GET " + url + " HTTP/1.1\r\nHost: " + hostPort + "\r\nUser-Agent: vlan-client\r\n\r\n");
  }

  /** Writes raw bytes and reads one response. */
  public HttpResult send(String raw) throws IOException {
    write(raw);
    return read();
  }

  public void write(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads one response: status line, headers, and a body framed by Content-Length, chunks, or close. */
  public HttpResult read() throws IOException {
    return read(false);
  }

  public HttpResult read(boolean headOnly) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("the proxy closed the connection without a response");
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String l; (l = line()) != null && !l.isEmpty(); ) {
      int colon = l.indexOf(':');
      headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(l.substring(colon + 1).trim());
    }
    String body = "";
    String length = first(headers, "content-length");
    String te = first(headers, "transfer-encoding");
    if (headOnly || status == 204 || status == 304 || (status == 200 && parts.length > 2 && parts[2].toLowerCase(Locale.ROOT).contains("connection established"))) {
      body = "";
    } else if (length != null) {
      body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
    } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int n; (n = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
        b.write(in.readNBytes(n));
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
      body = b.toString(StandardCharsets.UTF_8);
    } else {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return new HttpResult(status, parts.length > 2 ? parts[2] : "", headers, body);
  }

  /** True once the proxy has closed this connection (reads end of stream within the socket timeout). */
  public boolean closedByPeer() {
    try {
      return in.read() == -1;
    } catch (IOException e) {
      return true;
    }
  }

  private static String first(Map<String, List<String>> h, String name) {
    List<String> v = h.get(name);
    return v == null ? null : v.get(0);
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c == -1 && b.size() == 0) {
      return null;
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
