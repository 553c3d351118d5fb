package org.schoolgate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A list publisher on loopback (JDK's HttpServer, a real socket): each path answers what the test
 * set — a list with an ETag (and 304 to a matching If-None-Match), an error status, an HTML page,
 * a redirect, or nothing at all (a server that hangs until it is closed). Records each request.
 */
public final class ListPublisher implements AutoCloseable {
  /** What a path answers. {@code chunked}: no Content-Length, so only the bytes received can be counted. */
  public record Answer(int status, String contentType, byte[] body, String etag, String location, boolean hang,
                       boolean chunked) {
    public static Answer list(byte[] body, String etag) {
      return new Answer(200, "application/octet-stream", body, etag, null, false, false);
    }

    public static Answer text(String body) {
      return new Answer(200, "text/plain", body.getBytes(StandardCharsets.UTF_8), null, null, false, false);
    }

    public static Answer status(int status) {
      return new Answer(status, "text/plain", ("error " + status).getBytes(StandardCharsets.UTF_8), null, null, false, false);
    }

    public static Answer redirect(String location) {
      return new Answer(302, "text/plain", new byte[0], null, location, false, false);
    }

    public static Answer hanging() {
      return new Answer(200, "text/plain", new byte[0], null, null, true, false);
    }

    public Answer chunkedBody() {
      return new Answer(status, contentType, body, etag, location, hang, true);
    }

    public Answer typed(String type) {
      return new Answer(status, type, body, etag, location, hang, chunked);
    }
  }

  /** One request as it arrived: path and the conditional headers. */
  public record Seen(String path, String ifNoneMatch, String ifModifiedSince) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  public ListPublisher() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void serve(String path, Answer a) {
    answers.put(path, a);
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String inm = ex.getRequestHeaders().getFirst("If-None-Match");
      seen.add(new Seen(path, inm, ex.getRequestHeaders().getFirst("If-Modified-Since")));
      Answer a = answers.get(path);
      if (a == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      if (a.hang()) {
        closed.await(); // a publisher that accepted the request and never answers
        return;
      }
      if (a.etag() != null) {
        ex.getResponseHeaders().set("ETag", a.etag());
        if (a.etag().equals(inm)) {
          ex.sendResponseHeaders(304, -1);
          return;
        }
      }
      if (a.location() != null) {
        ex.getResponseHeaders().set("Location", a.location());
      }
      ex.getResponseHeaders().set("Content-Type", a.contentType());
      ex.sendResponseHeaders(a.status(), a.chunked() || a.body().length == 0 ? 0 : a.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(a.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away (a refused download stops reading): nothing to do
    }
  }

  /** A UT1-shaped archive: {@code blacklists/CATEGORY/domains} per category, plus links {@code alias -> target}. */
  public static byte[] ut1(Map<String, List<String>> categories, Map<String, String> links) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, List<String>> c : categories.entrySet()) {
        byte[] body = (String.join("\n", c.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry dir = new TarArchiveEntry("blacklists/" + c.getKey() + "/");
        tar.putArchiveEntry(dir);
        tar.closeArchiveEntry();
        TarArchiveEntry e = new TarArchiveEntry("blacklists/" + c.getKey() + "/domains");
        e.setSize(body.length);
        tar.putArchiveEntry(e);
        tar.write(body);
        tar.closeArchiveEntry();
        byte[] usage = "black\n".getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry u = new TarArchiveEntry("blacklists/" + c.getKey() + "/usage");
        u.setSize(usage.length);
        tar.putArchiveEntry(u);
        tar.write(usage);
        tar.closeArchiveEntry();
      }
      for (Map.Entry<String, String> l : links.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry("blacklists/" + l.getKey(), TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(l.getValue());
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
