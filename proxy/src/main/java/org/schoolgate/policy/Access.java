package org.schoolgate.policy;

/** How the client is reaching the host; circumvention rules differ between them. */
public enum Access {
  /** A plain HTTP request (explicit proxy or intercepted port 80). */
  HTTP,
  /** An explicit-proxy CONNECT tunnel. */
  CONNECT,
  /** An intercepted TLS connection, decided on its ClientHello. */
  TLS
}
