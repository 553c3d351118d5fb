package org.schoolgate.e2e.support;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A category-list publisher on loopback (JDK's HttpServer): one path, answering the body the test
 * set with its ETag (304 to a matching If-None-Match), or an error status. Counts requests.
 */
public final class ListPublisher implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile byte[] body = new byte[0];
  private volatile String etag;
  private volatile int status = 200;

  public ListPublisher(String path) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(path, ex -> {
      try (ex) {
        requests.incrementAndGet();
        String e = etag;
        if (status == 200 && e != null && e.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
          ex.sendResponseHeaders(304, -1);
          return;
        }
        if (e != null) {
          ex.getResponseHeaders().set("ETag", e);
        }
        byte[] b = status == 200 ? body : ("error " + status).getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      }
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public int requests() {
    return requests.get();
  }

  /** Serves {@code body} with {@code etag} from now on. */
  public void publish(byte[] b, String e) {
    this.body = b;
    this.etag = e;
    this.status = 200;
  }

  /** Answers {@code s} (an error) from now on. */
  public void fail(int s) {
    this.status = s;
  }

  /** A UT1-shaped archive: {@code blacklists/CATEGORY/domains} for each category. */
  public static byte[] ut1(Map<String, List<String>> categories) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      for (Map.Entry<String, List<String>> c : categories.entrySet()) {
        byte[] b = (String.join("\n", c.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry("blacklists/" + c.getKey() + "/domains");
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
