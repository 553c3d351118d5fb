package org.schoolgate.proxy;

/** The three traffic listeners, named as in the configuration and the access log. */
public enum ListenerKind {
  PROXY("proxy"), INTERCEPT_HTTP("intercept_http"), INTERCEPT_TLS("intercept_tls");

  private final String wire;

  ListenerKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
