package org.schoolgate.e2e.support;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A response as the test client read it off the wire. */
public record HttpResult(int status, String reason, Map<String, List<String>> headers, String body) {
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null ? null : v.get(0);
  }
}
