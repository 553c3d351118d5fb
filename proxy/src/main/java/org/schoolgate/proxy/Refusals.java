package org.schoolgate.proxy;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.schoolgate.net.UpstreamFailure;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.Decisions;

/**
 * The one place that maps a failure that is not a policy decision to what the client sees:
 * malformed requests (400/414/431, then close), framing we will not relay (400/501), and an
 * unreachable upstream (502, 504; a loop to the proxy itself is a 403 block page).
 * Fail closed everywhere: a request that cannot be understood is answered, never forwarded.
 */
final class Refusals {
  private static final String NOT_UNDERSTOOD = "This request could not be understood";

  private Refusals() {}

  /** A request that passed the checks that come before the policy (its target), or the refusal of one that did not. */
  record Gate(Target target, FullHttpResponse refusal) {}

  /**
   * The checks before the policy, in order: the codec could decode it (400/414/431), its framing
   * is unambiguous (400/501), it names a target (400), and a CONNECT came to the explicit
   * listener (405).
   */
  static Gate gate(HttpRequest req, ListenerKind listener, int defaultPort, ProxyStats stats) {
    io.netty.handler.codec.DecoderResult result = req.decoderResult();
    if (result.isFailure()) {
      if (result.cause() instanceof TooLongFrameException) {
        stats.refused(ProxyStats.Limit.REQUEST_TOO_LARGE);
      }
      // After a decoding failure the codec discards the rest of the connection: answer, then close.
      return new Gate(null, malformed(result.cause()));
    }
    FullHttpResponse ambiguous = ambiguous(req);
    if (ambiguous != null) {
      return new Gate(null, ambiguous);
    }
    Target target;
    try {
      target = Target.of(req, defaultPort);
    } catch (Target.BadTarget e) {
      return new Gate(null, Pages.error(HttpResponseStatus.BAD_REQUEST, NOT_UNDERSTOOD, e.getMessage(), false));
    }
    if (req.method() == io.netty.handler.codec.http.HttpMethod.CONNECT && listener != ListenerKind.PROXY) {
      return new Gate(null, Pages.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "Not here",
          "CONNECT is for the explicit proxy listener", false));
    }
    return new Gate(target, null);
  }

  /** A request the codec could not decode. */
  static FullHttpResponse malformed(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return Pages.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, NOT_UNDERSTOOD,
          "The request's headers are too large.", false);
    }
    if (cause instanceof TooLongHttpLineException) {
      return Pages.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, NOT_UNDERSTOOD, "The request's address is too long.", false);
    }
    if (cause instanceof TooLongFrameException) {
      return Pages.error(HttpResponseStatus.BAD_REQUEST, NOT_UNDERSTOOD, "The request is too large.", false);
    }
    return Pages.error(HttpResponseStatus.BAD_REQUEST, NOT_UNDERSTOOD, "The request is not valid HTTP.", false);
  }

  /**
   * A request whose framing could be read differently upstream (request smuggling), or null if
   * it is fine: two Host headers, two Transfer-Encoding headers, or a Transfer-Encoding other than chunked.
   */
  static FullHttpResponse ambiguous(HttpRequest req) {
    if (req.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
      return Pages.error(HttpResponseStatus.BAD_REQUEST, NOT_UNDERSTOOD, "The request names more than one host.", false);
    }
    java.util.List<String> encodings = req.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (encodings.size() > 1) {
      // Two fields are one list (RFC 9110 5.3): "chunked, chunked" is no framing anyone agrees on.
      return Pages.error(HttpResponseStatus.BAD_REQUEST, NOT_UNDERSTOOD,
          "The request gives Transfer-Encoding more than once.", false);
    }
    String te = encodings.isEmpty() ? null : encodings.get(0);
    if (te != null && !te.trim().equalsIgnoreCase("chunked")) {
      return Pages.error(HttpResponseStatus.NOT_IMPLEMENTED, "This request could not be relayed",
          "Transfer-Encoding \"" + te + "\" is not supported.", false);
    }
    return null;
  }

  /** The exchange's decision turned into a refusal: its target is the proxy itself. */
  static Decision self(Exchange exchange, String detail) {
    Decision d = exchange.decision;
    return Decisions.self(d, exchange.target.host(), detail);
  }

  /** The upstream could not be reached: 502/504, or for a loop to ourselves a 403 recorded as category "self". */
  static FullHttpResponse upstream(UpstreamFailure failure, Exchange exchange, ProxyContext px) {
    UpstreamFailure.Kind kind = failure.kind();
    if (kind == UpstreamFailure.Kind.SELF) {
      exchange.decision = self(exchange, "requests for the proxy itself are refused");
      exchange.ref = px.ref(exchange.client, exchange.target.host());
      return "CONNECT".equals(exchange.method)
          ? Pages.connectRefused(exchange.decision, exchange.ref)
          : Pages.blocked(exchange.decision, exchange.target.rawHost(), exchange.ref, px.engine.clock().instant(),
              px.zone, false, px.reader(exchange.client, "http", exchange.target.rawHost(), "/", exchange.decision,
                  exchange.ref));
    }
    return Pages.error(HttpResponseStatus.valueOf(kind.status),
        kind == UpstreamFailure.Kind.TIMEOUT ? "The website did not answer in time" : "The website could not be reached",
        failure.getMessage(), "HEAD".equals(exchange.method));
  }
}
