package org.schoolgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A browser-like TLS client on an EmbeddedChannel: trusts only {@code ca}, sends {@code sni}
 * (null: none), checks the name (as HTTPS does), offers ALPN h2 and http/1.1, and speaks HTTP/1.1
 * over it. {@link #pump} moves bytes between it and a device channel until both are quiet.
 */
final class TlsClient extends EmbeddedChannel {
  final SslHandler ssl;

  TlsClient(X509Certificate ca, String sni) throws Exception {
    super(false, false);
    SslContext context = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(ca)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
        .build();
    ssl = sni == null ? context.newHandler(alloc()) : context.newHandler(alloc(), sni, 443);
    SSLEngine engine = ssl.engine();
    SSLParameters p = engine.getSSLParameters();
    p.setEndpointIdentificationAlgorithm(sni == null ? null : "HTTPS");
    engine.setSSLParameters(p);
    pipeline().addLast(ssl, new HttpClientCodec(), new HttpObjectAggregator(1 << 20));
    register();
  }

  /** The first flight, a ClientHello, as the device would read it. */
  ByteBuf hello() {
    return readOutbound();
  }

  /** Moves what each side wrote to the other until neither has anything more. */
  void pump(EmbeddedChannel device) {
    for (boolean moved = true; moved; ) {
      moved = false;
      for (Object o; (o = readOutbound()) != null; moved = true) {
        if (device.isActive()) {
          device.writeInbound(o);
        } else {
          io.netty.util.ReferenceCountUtil.release(o);
        }
      }
      device.runPendingTasks();
      for (Object o; (o = device.readOutbound()) != null; moved = true) {
        if (isActive()) {
          writeInbound(o);
        } else {
          io.netty.util.ReferenceCountUtil.release(o);
        }
      }
      runPendingTasks();
      if (!device.isActive() && isActive() && device.outboundMessages().isEmpty()) {
        close(); // the device hung up: so does this end, as a socket would see it
      }
    }
  }
}
