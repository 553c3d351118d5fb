package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The deadline for a whole request head (limits.request_head_timeout), on the channel's own clock
 * (an EmbeddedChannel's, moved by the test): it runs only while a head is arriving, never while a
 * keep-alive connection sits idle between requests (that is the idle timeout's business).
 */
class HeadDeadlineTest {
  private final AtomicInteger timeouts = new AtomicInteger();
  private final HeadDeadline deadline = new HeadDeadline(TimeUnit.SECONDS.toNanos(1), timeouts::incrementAndGet);
  private final EmbeddedChannel ch = new EmbeddedChannel(deadline);

  private void bytesArrive() {
    ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));
    ((ByteBuf) ch.readInbound()).release();
  }

  private void pass(long millis) {
    ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  @Test
  void aKeepAliveConnectionIdleLongerThanTheDeadlineBetweenRequestsIsNotCutOff() {
    bytesArrive();
    deadline.headArrived(); // the first request's head is whole
    pass(1500); // the response, then idle: longer than the deadline
    deadline.awaitHead();
    pass(1500);
    assertTrue(ch.isActive(), "idle between requests is not a slow head");
    assertNull(ch.readOutbound(), "no 408");
    bytesArrive(); // the next head starts now: the deadline counts from here
    pass(900);
    assertTrue(ch.isActive());
    deadline.headArrived();
    pass(1500);
    assertTrue(ch.isActive(), "a head that arrived in time is never cut off afterwards");
    assertEquals(0, timeouts.get());
  }

  @Test
  void aHeadThatTakesLongerThanTheDeadlineIsAnswered408AndClosed() {
    bytesArrive();
    pass(600);
    bytesArrive(); // more of the same head: it does not reset the deadline
    pass(500);
    ByteBuf answer = ch.readOutbound();
    assertTrue(answer != null && answer.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 408"), "408 at the deadline");
    answer.release();
    assertFalse(ch.isActive(), "then closed");
    assertEquals(1, timeouts.get());
  }
}
