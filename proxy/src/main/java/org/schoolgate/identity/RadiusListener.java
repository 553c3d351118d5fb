package org.schoolgate.identity;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.schoolgate.config.Config;
import org.schoolgate.net.Transport;

/** Binds the accounting listener ({@code identity.radius_accounting.listen}, UDP) to one event loop. */
public final class RadiusListener {
  private RadiusListener() {}

  public static Channel bind(Config.Identity config, Identities identities, RadiusCounters counters, Transport transport,
                             EventLoopGroup loops) throws IOException, InterruptedException {
    Bootstrap b = new Bootstrap()
        .group(loops)
        .channel(transport.datagramChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .handler(new RadiusHandler(config.clients(), config.secret(), identities, counters));
    var future = b.bind(config.listen()).await();
    if (!future.isSuccess()) {
      InetSocketAddress a = config.listen();
      throw new IOException("cannot listen on " + a.getAddress().getHostAddress() + ":" + a.getPort()
          + " for radius accounting: " + future.cause().getMessage(), future.cause());
    }
    return future.channel();
  }
}
