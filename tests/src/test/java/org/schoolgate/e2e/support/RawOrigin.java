package org.schoolgate.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An origin on a plain socket that records every byte it receives, connection by connection,
 * so a test can check byte for byte what the proxy sent on. It reads requests the strict way a
 * real origin would (Content-Length, else strict chunks, else no body) and answers each with
 * what {@code responder} returns for its request line, so a request the proxy framed wrongly
 * shows up here as a second, undecided request.
 */
public final class RawOrigin implements AutoCloseable {
  private final ServerSocket server;
  private final Function<String, byte[]> responder;
  private final List<ByteArrayOutputStream> connections = new CopyOnWriteArrayList<>();
  private final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public RawOrigin(Function<String, byte[]> responder) throws IOException {
    this.responder = responder;
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(this::accept, "raw-origin-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** An origin that answers every request with 200 and {@code origin <request line>}, keep-alive. */
  public static RawOrigin echoingRequestLines() throws IOException {
    return new RawOrigin(line -> ok("origin " + line));
  }

  public static byte[] ok(String body) {
    return ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Every request line this origin parsed, in order. */
  public List<String> requestLines() {
    return List.copyOf(requestLines);
  }

  /** All bytes received, connection after connection, as ISO-8859-1 text. */
  public String received() {
    StringBuilder b = new StringBuilder();
    for (ByteArrayOutputStream c : connections) {
      synchronized (c) {
        b.append(c.toString(StandardCharsets.ISO_8859_1));
      }
    }
    return b.toString();
  }

  public int connectionCount() {
    return connections.size();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        connections.add(seen);
        Thread t = new Thread(() -> serve(s, seen), "raw-origin-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, ByteArrayOutputStream seen) {
    try (s) {
      InputStream in = new Recording(s.getInputStream(), seen);
      try {
        answer(in, s.getOutputStream());
      } catch (IOException | RuntimeException e) {
        // the proxy sent what no HTTP origin would accept (TLS in a tunnel, say): keep recording
        // what comes until it hangs up, so the test sees every byte
        drain(in);
      }
    } catch (IOException e) {
      // closing
    }
  }

  private void answer(InputStream in, OutputStream out) throws IOException {
    for (;;) {
      String requestLine = line(in);
      if (requestLine == null) {
        return;
      }
      long length = 0;
      boolean chunked = false;
      for (String h; !(h = line(in)).isEmpty(); ) {
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = colon < 0 ? "" : h.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          length = Long.parseLong(value);
        } else if (name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
          chunked = true;
        }
      }
      if (chunked) {
        for (int n; (n = Integer.parseInt(line(in).split(";")[0], 16)) > 0; ) {
          in.readNBytes(n);
          if (!line(in).isEmpty()) {
            throw new IOException("bad chunk end");
          }
        }
        while (!line(in).isEmpty()) {
          // trailers
        }
      } else {
        in.readNBytes((int) length);
      }
      requestLines.add(requestLine);
      out.write(responder.apply(requestLine));
      out.flush();
    }
  }

  private static void drain(InputStream in) {
    if (in == null) {
      return;
    }
    try {
      while (in.read() != -1) {
        // Recording keeps each byte
      }
    } catch (IOException ignored) {
      // closed
    }
  }

  /** A line ended by CRLF (a bare LF is refused, as strict origins do); null at end of stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != -1; ) {
      if (c == '\n') {
        byte[] bytes = b.toByteArray();
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
          throw new IOException("bare LF");
        }
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    if (b.size() == 0) {
      return null;
    }
    throw new IOException("end of stream inside a line");
  }

  private static final class Recording extends InputStream {
    private final InputStream in;
    private final ByteArrayOutputStream seen;

    Recording(InputStream in, ByteArrayOutputStream seen) {
      this.in = new java.io.BufferedInputStream(in);
      this.seen = seen;
    }

    @Override
    public int read() throws IOException {
      int c = in.read();
      if (c != -1) {
        synchronized (seen) {
          seen.write(c);
        }
      }
      return c;
    }
  }

  /** Closes the listener and every connection it accepted. */
  @Override
  public void close() throws IOException {
    server.close();
    List<IOException> failures = new ArrayList<>();
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }
}
