package org.schoolgate.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.schoolgate.proxy.RequestStates.Next;

/**
 * The body of a request the proxy answered itself, read and thrown away so that the next request
 * on a kept-alive connection can be read; a broken one, or one past {@link #MAX} bytes, is not
 * worth reading to its end.
 */
final class DiscardedBody {
  static final long MAX = 1 << 20;
  private long discarded;

  void restart() {
    discarded = 0;
  }

  /** Throws {@code msg} away; returns the step it leads to, or null while the body goes on. */
  Next take(Object msg, boolean closeAfter) {
    boolean last = msg instanceof LastHttpContent;
    boolean broken = false;
    if (msg instanceof HttpContent content) {
      discarded += content.content().readableBytes();
      broken = content.decoderResult().isFailure();
    }
    ReferenceCountUtil.release(msg);
    if (broken || (!last && discarded > MAX)) {
      return Next.CLOSE; // the codec reads nothing more after a broken part; a refused upload is not worth reading
    }
    return last ? (closeAfter ? Next.CLOSE : Next.NEXT_REQUEST) : null;
  }
}
