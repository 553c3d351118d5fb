package org.schoolgate.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an operator needs to see of the listeners, counted where it happens and read by
 * {@code /metrics}: refusals by a limit, upstream failures by kind, ClientHello outcomes (as
 * Envoy's tls_inspector counts them), HTTPS block page outcomes and open connections per listener. Striped counters: an
 * event loop's increment contends with nothing.
 */
public final class ProxyStats {
  /** A refusal by a limit rather than by the policy. */
  public enum Limit {
    CONNECTIONS_PER_CLIENT("connections-per-client"), CONNECTIONS_TOTAL("connections-total"),
    CONNECTIONS_FAIR_SHARE("connections-fair-share"),
    BUFFER_BUDGET("buffer-budget"), REQUEST_HEAD_TIMEOUT("request-head-timeout"),
    REQUEST_TOO_LARGE("request-too-large"), HELLO_RATE("hello-rate");

    public final String label;

    Limit(String label) {
      this.label = label;
    }
  }

  /** What the peek found where a ClientHello should be. */
  public enum Hello {
    FOUND("found"), NONE("none"), TOO_LARGE("too-large"), TIMEOUT("timeout"), CLOSED("closed");

    public final String label;

    Hello(String label) {
      this.label = label;
    }
  }

  /** What became of a blocked connection offered the HTTPS block page (SPEC section 9). */
  public enum BlockPage {
    SERVED("served"), HANDSHAKE_FAILED("handshake-failed"), OVER_RATE("over-rate"), NO_LEAF("no-leaf"),
    /** Refused by the overall budget (issue 21): closed without a page. */
    OVER_BUDGET("over-budget"),
    /** Let into both budgets: its handshake begins (then served, handshake-failed or no-leaf). */
    ADMITTED("admitted");

    public final String label;

    BlockPage(String label) {
      this.label = label;
    }
  }

  private final LongAdder[] limits = adders(Limit.values().length);
  private final LongAdder[] blockPages = adders(BlockPage.values().length);
  private final LongAdder[] hellos = adders(Hello.values().length);
  private final LongAdder[] open = adders(ListenerKind.values().length);
  private final Map<String, LongAdder> upstreamFailures = new ConcurrentHashMap<>();

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  void refused(Limit limit) {
    limits[limit.ordinal()].increment();
  }

  void hello(Hello outcome) {
    hellos[outcome.ordinal()].increment();
  }

  void blockPage(BlockPage outcome) {
    blockPages[outcome.ordinal()].increment();
  }

  /** A failed upstream connection or exchange, by kind (unknown-host, refused, timeout, closed, malformed, ...). */
  void upstreamFailed(String kind) {
    upstreamFailures.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void opened(io.netty.channel.Channel ch, ListenerKind listener) {
    LongAdder n = open[listener.ordinal()];
    n.increment();
    ch.closeFuture().addListener(f -> n.decrement());
  }

  public long refusals(Limit limit) {
    return limits[limit.ordinal()].sum();
  }

  public long hellos(Hello outcome) {
    return hellos[outcome.ordinal()].sum();
  }

  public long blockPages(BlockPage outcome) {
    return blockPages[outcome.ordinal()].sum();
  }

  public long open(ListenerKind listener) {
    return open[listener.ordinal()].sum();
  }

  /** Upstream failure counts by kind, as they are now; kinds appear as they first happen. */
  public Map<String, LongAdder> upstreamFailures() {
    return upstreamFailures;
  }
}
