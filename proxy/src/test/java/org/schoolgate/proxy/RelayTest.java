package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte relay between two EmbeddedChannels: bytes across unchanged and counted, a close carried over, one line per tunnel. */
class RelayTest {
  @TempDir
  Path dir;

  @Test
  void bytesCrossUnchangedAndACloseEndsBothSidesOnce() throws Exception {
    Fixture f = new Fixture(dir, y -> y);
    Fixture.Device client = f.device(Fixture.STAFF, ListenerKind.PROXY);
    EmbeddedChannel upstream = new EmbeddedChannel();
    AtomicReference<TunnelStats> ended = new AtomicReference<>();
    TunnelStats stats = new TunnelStats(client.eventLoop().ticker(), ended::set);
    BufferBudget.Account toUpstream = f.px.account(client);
    BufferBudget.Account toClient = f.px.account(client);
    client.pipeline().addLast(new Relay(upstream, stats, true, Long.MAX_VALUE, toUpstream, toClient));
    upstream.pipeline().addLast(new Relay(client, stats, false, Long.MAX_VALUE, toClient, toUpstream));

    client.writeInbound(Unpooled.copiedBuffer("hello up", StandardCharsets.US_ASCII));
    upstream.writeInbound(Unpooled.copiedBuffer("and down", StandardCharsets.US_ASCII));
    assertEquals("hello up", text(upstream.readOutbound()));
    assertEquals("and down", text(client.readOutbound()));

    client.close();
    upstream.runPendingTasks();
    assertFalse(upstream.isActive(), "the upstream side closes with the client");
    assertEquals(8, ended.get().bytesUp);
    assertEquals(8, ended.get().bytesDown);
    client.finishAndReleaseAll();
    upstream.finishAndReleaseAll();
  }

  private static String text(ByteBuf b) {
    try {
      return b.toString(StandardCharsets.US_ASCII);
    } finally {
      b.release();
    }
  }
}
