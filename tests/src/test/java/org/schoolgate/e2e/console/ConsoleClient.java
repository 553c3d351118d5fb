package org.schoolgate.e2e.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.e2e.support.HttpResult;
import org.schoolgate.e2e.support.VlanClient;

/**
 * The console as a browser uses it, over raw HTTP from a chosen source address: it keeps the
 * session cookie and reads the page's CSRF token, so tests can check what the browser test
 * cannot (cookie flags, expiry on the test's clock, forged requests).
 */
final class ConsoleClient {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
  private final String source;
  private final InetSocketAddress admin;
  String cookie;
  String csrf;

  ConsoleClient(String source, InetSocketAddress admin) {
    this.source = source;
    this.admin = admin;
  }

  HttpResult signIn(String user, String password) {
    HttpResult r = post("/login", Map.of("username", user, "password", password));
    String setCookie = r.header("Set-Cookie");
    if (setCookie != null) {
      cookie = setCookie.substring(0, setCookie.indexOf(';'));
    }
    return r;
  }

  HttpResult get(String path) {
    HttpResult r = send("GET " + path + " HTTP/1.1\r\nHost: " + host() + "\r\n" + cookieLine() + "\r\n");
    Matcher m = CSRF.matcher(r.body());
    if (m.find()) {
      csrf = m.group(1);
    }
    return r;
  }

  /** A form as the page posts it: with the page's CSRF token unless the caller's fields say otherwise. */
  HttpResult form(String path, Map<String, String> fields) {
    Map<String, String> all = new LinkedHashMap<>();
    if (csrf != null) {
      all.put("_csrf", csrf);
    }
    all.putAll(fields);
    return post(path, all);
  }

  HttpResult post(String path, Map<String, String> fields) {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return send("POST " + path + " HTTP/1.1\r\nHost: " + host() + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + cookieLine() + "Content-Length: " + body.toString().getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
  }

  /** A JSON call on the API with the cookie, and the token header when {@code token} is not null. */
  HttpResult api(String method, String path, String json, String token) {
    String body = json == null ? "" : json;
    return send(method + " " + path + " HTTP/1.1\r\nHost: " + host() + "\r\nContent-Type: application/json\r\n" + cookieLine()
        + (token == null ? "" : "X-CSRF-Token: " + token + "\r\n")
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
  }

  /** The admin listener's own address: the console answers no other name (issue 21). */
  private String host() {
    return admin.getAddress().getHostAddress() + ":" + admin.getPort();
  }

  private String cookieLine() {
    return cookie == null ? "" : "Cookie: " + cookie + "\r\n";
  }

  private HttpResult send(String raw) {
    try (VlanClient c = new VlanClient(source, admin)) {
      return c.send(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
