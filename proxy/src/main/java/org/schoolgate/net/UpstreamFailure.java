package org.schoolgate.net;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * Why an upstream could not be reached, mapped in this one place to the status the client gets:
 * unknown host 502, refused 502, timeout 504, a loop to our own listener 403.
 */
public final class UpstreamFailure extends Exception {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    UNKNOWN_HOST(502, "unknown-host"), REFUSED(502, "refused"), TIMEOUT(504, "timeout"), SELF(403, "self"),
    OTHER(502, "error");

    public final int status;
    public final String label;

    Kind(int status, String label) {
      this.status = status;
      this.label = label;
    }
  }

  private final Kind kind;

  public UpstreamFailure(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static UpstreamFailure of(Throwable cause, String host, int port) {
    if (cause instanceof UpstreamFailure u) {
      return u;
    }
    if (cause instanceof UnknownHostException) {
      return new UpstreamFailure(Kind.UNKNOWN_HOST, "could not find " + host);
    }
    if (cause instanceof ConnectTimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException) {
      return new UpstreamFailure(Kind.TIMEOUT, host + ":" + port + " did not answer in time");
    }
    if (cause instanceof ConnectException) {
      return new UpstreamFailure(Kind.REFUSED, host + ":" + port + " refused the connection");
    }
    return new UpstreamFailure(Kind.OTHER, host + ":" + port + ": " + cause.getMessage());
  }
}
