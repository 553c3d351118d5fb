package org.schoolgate.proxy;

import java.net.InetAddress;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.policy.Decision;

/** One HTTP request/response (or one tunnel) as it is relayed, for its access line. */
final class Exchange {
  final long startNanos = System.nanoTime();
  final InetAddress client;
  final String method;
  final ListenerKind listener;
  Target target;
  Decision decision;
  String ref;
  String group;
  String dst;
  int status;
  long bytesUp;
  long bytesDown;
  boolean clientKeepAlive = true;
  /** The client connection closes once this exchange's response is written (the client asked, or the body ends with it). */
  boolean closeAfter;
  boolean responseStarted;
  boolean upstreamReusable = true;
  /** Why the exchange ended before its response was complete, or null (SPEC 7's {@code aborted}). */
  String aborted;
  /** The enforced front end connected to instead of the host's own address (SPEC 10), or null. */
  String via;

  /**
   * Where this allowed exchange connects, noting it: the enforced front end of {@code reroute}
   * (SPEC 10, logged as {@code via}), or {@code host} itself when there is none.
   */
  String route(org.schoolgate.policy.Reroute reroute, String host) {
    via = reroute == null ? null : reroute.frontEnd();
    return via == null ? host : via;
  }

  /** The client went away: before the response (499), or part-way through it. */
  void clientGone() {
    if (status == 0) {
      status = 499;
    } else if (responseStarted && aborted == null) {
      aborted = "client-closed"; // part of the response was never delivered
    }
  }

  Exchange(InetAddress client, String method, ListenerKind listener) {
    this.client = client;
    this.method = method;
    this.listener = listener;
  }

  AccessRecord toRecord(ProxyContext px, String fallbackHost, int fallbackPort) {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    String host = target != null ? target.host() : fallbackHost;
    int port = target != null ? target.port() : fallbackPort;
    String path = target != null && !"CONNECT".equals(method) && !"TLS".equals(method) ? target.logPath() : null;
    String g = decision != null ? decision.group() : group;
    String clientText = client.getHostAddress();
    String mac = px.mac(client, clientText);
    return new AccessRecord(px.engine.clock().instant(), px.zone, clientText, g, listener.wire(), method,
        host, port, path, decision != null && decision.allowed() ? "allow" : "block",
        decision != null ? decision.category() : null, decision != null ? decision.rule() : null, status, bytesUp,
        bytesDown, ms, ref, dst, mac, aborted, via, px.names.nameOf(clientText, mac),
        px.engine.policy().identities().user(client));
  }
}
