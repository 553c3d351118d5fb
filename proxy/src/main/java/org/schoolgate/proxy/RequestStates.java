package org.schoolgate.proxy;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the current request of an HTTP client connection is, and the one table of how it moves
 * ({@link #TABLE}). {@link HttpFrontendHandler} owns it and alone moves it; its helpers
 * ({@link Answers}, {@link Forwarder}, {@link TunnelOpener}) return the {@link Next} step and
 * never set it. A step the table does not allow from the current state is a bug, thrown.
 *
 * <pre>
 *   IDLE --request--> (blocked) DISCARDING_BODY --last--> IDLE
 *   IDLE --request--> (circumvention) RECORDING_EVENT --event written--> DISCARDING_BODY --last--> IDLE
 *   IDLE --request--> (allowed) CONNECTING --connected--> SENDING_BODY --last--> AWAITING_RESPONSE --response end--> IDLE
 *   IDLE --CONNECT--> (443) handler replaced by a ClientHello peek; (other ports) a tunnel
 *   any --close, reset, the client gone--> CLOSED
 * </pre>
 */
final class RequestStates {
  enum State { IDLE, RECORDING_EVENT, CONNECTING, SENDING_BODY, AWAITING_RESPONSE, DISCARDING_BODY, CLOSED }

  /** What should happen next to the request, and the state it leads to. */
  enum Next {
    /** A circumvention attempt: its event is being written; the block page waits for it. */
    RECORD_EVENT(State.RECORDING_EVENT),
    /** The upstream is being connected; the request's body waits. */
    CONNECT(State.CONNECTING),
    /** The request's head is upstream; its body follows. */
    SEND_BODY(State.SENDING_BODY),
    /** The request is all upstream; its response is awaited. */
    AWAIT_RESPONSE(State.AWAITING_RESPONSE),
    /** The proxy answered itself on a kept-alive connection: the refused request's body is read and thrown away. */
    DISCARD_BODY(State.DISCARDING_BODY),
    /** The exchange is over (logged): the next request may come. */
    NEXT_REQUEST(State.IDLE),
    /** The exchange is over (logged): the connection closes once what was written is flushed. */
    CLOSE(State.CLOSED),
    /** The exchange is cut short (logged): the connection is reset, its buffers freed at once. */
    RESET(State.CLOSED),
    /** The client went away. */
    GONE(State.CLOSED),
    /** An allowed CONNECT: the connection and its exchange went to a tunnel, which logs it. */
    TUNNEL(State.CLOSED),
    /** A managed device's blocked CONNECT: logged as refused, its TLS goes to the HTTPS block page. */
    TLS_BLOCK_PAGE(State.CLOSED);

    final State to;

    Next(State to) {
      this.to = to;
    }
  }

  /** The steps each state may take; every state may close, reset or lose its client. */
  private static final Map<State, Set<Next>> TABLE = new EnumMap<>(State.class);

  static {
    Set<Next> ends = EnumSet.of(Next.CLOSE, Next.RESET, Next.GONE);
    allow(State.IDLE, ends, Next.RECORD_EVENT, Next.DISCARD_BODY, Next.CONNECT, Next.SEND_BODY, Next.TUNNEL,
        Next.TLS_BLOCK_PAGE);
    allow(State.RECORDING_EVENT, ends, Next.DISCARD_BODY, Next.TLS_BLOCK_PAGE);
    allow(State.CONNECTING, ends, Next.SEND_BODY, Next.DISCARD_BODY);
    allow(State.SENDING_BODY, ends, Next.AWAIT_RESPONSE);
    allow(State.AWAITING_RESPONSE, ends, Next.NEXT_REQUEST);
    allow(State.DISCARDING_BODY, ends, Next.NEXT_REQUEST);
    allow(State.CLOSED, ends); // closing twice is closing
  }

  private static void allow(State from, Set<Next> ends, Next... steps) {
    EnumSet<Next> all = EnumSet.copyOf(ends);
    all.addAll(List.of(steps));
    TABLE.put(from, all);
  }

  private State state = State.IDLE;

  State state() {
    return state;
  }

  boolean is(State s) {
    return state == s;
  }

  /** Takes {@code next} by the table; returns the new state. */
  State move(Next next) {
    if (!TABLE.get(state).contains(next)) {
      throw new IllegalStateException("an HTTP request in state " + state + " cannot take the step " + next);
    }
    state = next.to;
    return state;
  }
}
