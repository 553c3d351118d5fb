package org.schoolgate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A real HTTP client for the admin API, from a chosen source address, with optional Basic credentials. */
public final class AdminClient {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final String source;
  private final InetSocketAddress admin;
  private final String authorization;

  public AdminClient(String source, InetSocketAddress admin, String user, String password) {
    this.source = source;
    this.admin = admin;
    this.authorization = user == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public record Reply(int status, String body, HttpResult raw) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    public String error() {
      return json().path("error").asText();
    }
  }

  public Reply get(String path) throws IOException {
    return call("GET", path, null);
  }

  public Reply post(String path, String json) throws IOException {
    return call("POST", path, json);
  }

  public Reply delete(String path) throws IOException {
    return call("DELETE", path, null);
  }

  public Reply call(String method, String path, String json) throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
        .append(admin.getAddress().getHostAddress()).append(':').append(admin.getPort()).append("\r\n");
    if (authorization != null) {
      req.append("Authorization: ").append(authorization).append("\r\n");
    }
    if (json != null) {
      req.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
    }
    req.append("Connection: close\r\n\r\n");
    try (VlanClient c = new VlanClient(source, admin)) {
      c.write(req.toString());
      c.socket().getOutputStream().write(body);
      HttpResult r = c.read();
      return new Reply(r.status(), r.body(), r);
    }
  }
}
