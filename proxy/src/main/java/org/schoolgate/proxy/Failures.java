package org.schoolgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every handler does with an exception: close the connection (channelInactive cleans up
 * and logs the exchange). Resets and other I/O errors are a client's or origin's business and
 * are not logged; anything else (running out of direct memory, a bug) is, at most once a
 * second, so an operator sees it without a flood.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);
  private static final AtomicLong lastLogged = new AtomicLong();

  private Failures() {}

  static void close(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      long now = System.nanoTime();
      long last = lastLogged.get();
      if (now - last > 1_000_000_000L && lastLogged.compareAndSet(last, now)) {
        log.warn("closing a connection after an unexpected error (at most one such line a second): {}", cause.toString());
      }
    }
    ctx.close();
  }
}
