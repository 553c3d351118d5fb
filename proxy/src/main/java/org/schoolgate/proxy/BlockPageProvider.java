package org.schoolgate.proxy;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.schoolgate.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whose TLS completes the HTTPS block page's handshakes (issue 27): BoringSSL through
 * netty-tcnative ({@link SslProvider#OPENSSL}), several times the handshakes a core of the JDK's
 * (its ECDSA P-256 signs at tens of thousands a second, the JDK's at a few thousand), or the JDK's.
 * {@code auto} takes BoringSSL when its native library loads and says in one log line why not
 * when it does not (another platform, a {@code noexec} temporary folder); {@code jdk} forces the
 * JDK (an A/B, or a suspected native fault); {@code openssl} insists, and a start where it cannot
 * load fails with the reason.
 */
public final class BlockPageProvider {
  /** The JDK's switch for the server-side TLS extensions it must not read (JDK 17.0.x and later). */
  static final String JDK_SERVER_DISABLED = "jdk.tls.server.disableExtensions";
  private static final Logger log = LoggerFactory.getLogger(BlockPageProvider.class);

  private BlockPageProvider() {}

  /** The provider {@code wanted} comes to here; throws IllegalStateException for openssl where it cannot load. */
  static SslProvider choose(Config.TlsProvider wanted) {
    return switch (wanted) {
      case JDK -> SslProvider.JDK;
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          throw new IllegalStateException("tls_block_page.provider is openssl, but BoringSSL (netty-tcnative) cannot load here: "
              + OpenSsl.unavailabilityCause());
        }
        yield SslProvider.OPENSSL;
      }
      case AUTO -> {
        if (OpenSsl.isAvailable()) {
          yield SslProvider.OPENSSL;
        }
        log.warn("the HTTPS block page uses the JDK's TLS (slower): BoringSSL (netty-tcnative) cannot load here: {}",
            String.valueOf(OpenSsl.unavailabilityCause()));
        yield SslProvider.JDK;
      }
    };
  }

  /**
   * Has the JDK's TLS servers leave the client's server name to us (issue 21 item 11). The JDK
   * reads it as an {@code SNIHostName}, which refuses a trailing dot ({@code www.facebook.com.})
   * and an underscore ({@code bad_name.facebook.com}) with alert 47, illegal_parameter, so a device
   * asking for either never saw the block page; the leaf is chosen from our own ClientHello parse
   * (normalised) anyway, and the admin console has one certificate, so no JDK server here needs
   * the JDK's reading. The JDK reads this property once, at the first server handshake in the
   * process: {@code Main} calls this first thing (the tests' JVMs set it on their command line).
   * An operator's own value is kept, with {@code server_name} added.
   */
  public static void jdkLeavesServerNameToUs() {
    String now = System.getProperty(JDK_SERVER_DISABLED);
    if (now == null || now.isBlank()) {
      System.setProperty(JDK_SERVER_DISABLED, "server_name");
    } else if (!java.util.Arrays.asList(now.replace(" ", "").split(",")).contains("server_name")) {
      System.setProperty(JDK_SERVER_DISABLED, now + ",server_name");
    }
  }

  /** What the start line says: "BoringSSL 1.1.1 (...)" or "the JDK". */
  static String describe(SslProvider p) {
    return p == SslProvider.JDK ? "the JDK's TLS" : OpenSsl.versionString() + " (netty-tcnative)";
  }
}
