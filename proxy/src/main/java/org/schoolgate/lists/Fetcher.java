package org.schoolgate.lists;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Proxy;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Downloads one list, conditionally ({@code If-None-Match}, {@code If-Modified-Since}), following
 * at most 5 redirects, to a file, counting the bytes as they arrive and stopping past the size cap.
 * Refuses what is not a list: another status than 200 or 304, an HTML page, an oversized body.
 * Blocking: runs on the lists thread, never on an event loop.
 */
public final class Fetcher {
  static final int MAX_REDIRECTS = 5;

  private final Dns dns;
  private final Duration connectTimeout;
  private OkHttpClient client;
  private final long maxSize;
  private final Duration readTimeout;

  /** What a fetch gave: unchanged (304), or a new body in {@code file}. */
  public record Fetched(boolean notModified, String etag, String lastModified, String sha256, long bytes) {}

  /**
   * @param dns the proxy's resolver (hosts file first, then DNS); connections go direct, never
   *            through a proxy (and so never through schoolgate's own listeners)
   */
  public Fetcher(Dns dns, Duration connectTimeout, Duration readTimeout, long maxSize) {
    // What OkHttp's builder would refuse is refused now, at start, not at the first fetch.
    for (Duration d : new Duration[] {connectTimeout, readTimeout}) {
      if (d.isNegative() || d.toMillis() > Integer.MAX_VALUE || (!d.isZero() && d.toMillis() == 0)) {
        throw new IllegalArgumentException("a list timeout must be between 1 ms and " + Integer.MAX_VALUE + " ms: " + d);
      }
    }
    this.dns = dns;
    this.connectTimeout = connectTimeout;
    this.maxSize = maxSize;
    this.readTimeout = readTimeout;
  }

  /**
   * Built at the first fetch, not at start: OkHttp and the Kotlin runtime it brings are ~150
   * classes a gateway whose subscriptions are off (as shipped) never needs (issue 27, idle RSS).
   */
  private synchronized OkHttpClient client() {
    if (client == null) {
      client = new OkHttpClient.Builder()
          .dns(dns)
          .proxy(Proxy.NO_PROXY)
          .followRedirects(false)
          .followSslRedirects(false)
          .retryOnConnectionFailure(false)
          // A fetch a day needs no pool; a pooled connection the publisher closed meanwhile failed the next fetch
          // ("unexpected end of stream") in the Lists page's browser test.
          .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
          .connectTimeout(connectTimeout)
          .readTimeout(readTimeout)
          .build();
    }
    return client;
  }

  public Fetched fetch(URI url, String etag, String lastModified, Path file) throws Refusal {
    HttpUrl at = HttpUrl.get(url.toString());
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      Request.Builder request = new Request.Builder().url(at).header("User-Agent", "schoolgate list updater");
      if (etag != null) {
        request.header("If-None-Match", etag);
      }
      if (lastModified != null) {
        request.header("If-Modified-Since", lastModified);
      }
      try (Response response = client().newCall(request.build()).execute()) {
        int code = response.code();
        if (code == 304) {
          return new Fetched(true, or(response.header("ETag"), etag), or(response.header("Last-Modified"), lastModified),
              null, 0);
        }
        if (response.isRedirect()) {
          String location = response.header("Location");
          HttpUrl next = location == null ? null : at.resolve(location);
          if (next == null) {
            throw new Refusal("status", "the publisher answered " + code + " without a usable Location");
          }
          at = next;
          continue;
        }
        if (code != 200) {
          throw new Refusal("status", "the publisher answered " + code + (response.message().isEmpty() ? "" : " " + response.message())
              + " instead of the list");
        }
        String type = response.header("Content-Type", "");
        if (type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
          throw new Refusal("html", "the publisher sent a web page (text/html), not a list: often a login, error or "
              + "\"moved\" page");
        }
        long declared = response.body().contentLength();
        if (declared > maxSize) {
          throw new Refusal("too-large", "the download is " + declared + " bytes, more than lists.max_size (" + maxSize + ")");
        }
        return save(response.body().byteStream(), file, response.header("ETag"), response.header("Last-Modified"));
      } catch (InterruptedIOException e) {
        throw new Refusal("timeout", "the publisher sent nothing for " + (readTimeout.toMillis() < 1000 ? readTimeout.toMillis() + " ms"
            : readTimeout.toSeconds() + " s") + " (lists.read_timeout)");
      } catch (IOException e) {
        throw new Refusal("network", "could not reach " + at.host() + ": " + e.getMessage());
      }
    }
    throw new Refusal("redirects", "more than " + MAX_REDIRECTS + " redirects from " + url);
  }

  private Fetched save(InputStream body, Path file, String etag, String lastModified) throws IOException, Refusal {
    MessageDigest sha = sha256();
    long total = 0;
    int firstByte = -1;
    byte[] buffer = new byte[1 << 16];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
      for (int n; (n = body.read(buffer)) > 0; ) {
        total += n;
        if (total > maxSize) {
          throw new Refusal("too-large", "the download passed lists.max_size (" + maxSize + " bytes); reading stopped there");
        }
        for (int i = 0; i < n && firstByte < 0; i++) {
          if (!Character.isWhitespace(buffer[i])) {
            firstByte = buffer[i] & 0xff;
          }
        }
        sha.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
      out.flush();
      channel.force(true);
    }
    if (firstByte == '<') {
      throw new Refusal("html", "the download begins with \"<\": a web page or markup, not a list");
    }
    if (total == 0) {
      throw new Refusal("format", "the download is empty");
    }
    return new Fetched(false, etag, lastModified, HexFormat.of().formatHex(sha.digest()), total);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }

  /** Deletes a partial download (best effort). */
  static void discard(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover temporary file is cleaned at the next fetch
    }
  }
}
