package org.schoolgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct memory held in connections' write buffers, for peers that read slower than data
 * arrives. One connection holds at most its high-water mark (reading from the other side then
 * stops), but hundreds of slow readers together could take all the direct memory, and then
 * ordinary users' downloads fail mid-way. So every connection may hold {@link #ALLOWANCE}
 * queued for free; what it holds beyond that is charged, as it is queued, to a budget for all
 * (a share of direct memory) and to its client address's share of it. A connection whose
 * charge would go past either is closed instead (its access line says
 * {@code aborted: buffer-budget}); charges are returned as the buffer drains and when it closes.
 * A check costs two field reads per read from the other side until a connection holds more
 * than the allowance.
 */
final class BufferBudget {
  /** What a connection may hold queued without being charged. */
  static final long ALLOWANCE = 64 * 1024;
  /** Why a connection was closed, for its access line. */
  static final AttributeKey<String> CLOSED_FOR = AttributeKey.valueOf("schoolgate.closed-for");

  private final long limit;
  private final long perClient;
  private final AtomicLong held = new AtomicLong();
  private final ProxyStats stats;

  BufferBudget(long limit, long perClient, ProxyStats stats) {
    this.limit = limit;
    this.perClient = perClient;
    this.stats = stats;
  }

  /** A share of the process's direct memory; each client may hold an eighth of it, and at least 2 MiB. */
  static BufferBudget ofDirectMemory(long maxDirectMemory, int percent, ProxyStats stats) {
    long limit = maxDirectMemory / 100 * percent;
    return new BufferBudget(limit, Math.min(limit, Math.max(2L << 20, limit / 8)), stats);
  }

  long held() {
    return held.get();
  }

  long limit() {
    return limit;
  }

  /** What one connection's write buffer is charged, for its client. Used on that connection's event loop only. */
  final class Account {
    private final ConnectionLimits.Client client;
    private long charged;

    Account(ConnectionLimits.Client client) {
      this.client = client;
    }

    /**
     * After a write to {@code ch}: charges what it now holds queued beyond the allowance; false
     * (and nothing more is charged) if that would go past the budget or the client's share: the
     * caller resets {@code ch}.
     */
    boolean charge(Channel ch) {
      long delta = beyondAllowance(ch) - charged;
      if (delta <= 0) {
        return true;
      }
      if (client.buffered.addAndGet(delta) > perClient | held.addAndGet(delta) > limit) {
        client.buffered.addAndGet(-delta);
        held.addAndGet(-delta);
        ch.attr(CLOSED_FOR).set("buffer-budget");
        stats.refused(ProxyStats.Limit.BUFFER_BUDGET);
        return false;
      }
      charged += delta;
      return true;
    }

    /** After a flush or a writability change: gives back what {@code ch} no longer holds (never charges). */
    void refund(Channel ch) {
      long delta = charged - beyondAllowance(ch);
      if (delta > 0) {
        client.buffered.addAndGet(-delta);
        held.addAndGet(-delta);
        charged -= delta;
      }
    }

    private static long beyondAllowance(Channel ch) {
      ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
      long pending = out == null ? 0 : out.totalPendingWriteBytes();
      return pending > ALLOWANCE ? pending - ALLOWANCE : 0;
    }

    /** The connection closed: everything it was charged goes back. */
    void close() {
      if (charged != 0) {
        client.buffered.addAndGet(-charged);
        held.addAndGet(-charged);
        charged = 0;
      }
    }
  }
}
