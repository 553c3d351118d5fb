package org.schoolgate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.schoolgate.values.Cidr;

/**
 * The optional {@code tls_block_page} section (SPEC section 9): which networks' devices trust the
 * school's CA, and where its two files are (default {@code ca/schoolgate-ca.pem} and
 * {@code ca/schoolgate-ca.key} beside this file), and whose TLS serves the page ({@code provider}). Whether the files are usable is checked apart
 * ({@code check} and the server's start), so that {@code ca init} can read a configuration whose
 * CA does not exist yet.
 */
final class TlsBlockPageReader {
  static final String DEFAULT_CERT = "ca/schoolgate-ca.pem";
  static final String DEFAULT_KEY = "ca/schoolgate-ca.key";
  /** As the proxy's HandshakeBudget.ALL_PER_SECOND (config does not depend on the proxy package). */
  static final int DEFAULT_PER_SECOND = 100;

  private TlsBlockPageReader() {}

  static Config.TlsBlockPage read(Node n, Path dir) {
    if (!n.isNull()) {
      n.checkKeys(Set.of("networks", "ca_cert", "ca_key", "provider", "handshakes_per_second"));
    }
    List<Cidr> networks = Fields.cidrs(n.get("networks"));
    Path cert = orDefault(dir, n.get("ca_cert"), DEFAULT_CERT);
    Path key = orDefault(dir, n.get("ca_key"), DEFAULT_KEY);
    if (cert != null && cert.equals(key)) {
      n.get("ca_key").problem("is the same file as ca_cert: the key and the certificate are two files");
    }
    return new Config.TlsBlockPage(List.copyOf(networks), cert, key, provider(n.get("provider")),
        perSecond(n.get("handshakes_per_second")));
  }

  /** {@code handshakes_per_second}: the overall budget of block-page handshakes, 1 to 100,000 (default 100). */
  private static int perSecond(Node n) {
    Integer v = n.as(Integer::valueOf, false);
    if (v == null) {
      return DEFAULT_PER_SECOND;
    }
    if (v < 1 || v > 100_000) {
      n.problem(v + " is not between 1 and 100000");
      return DEFAULT_PER_SECOND;
    }
    return v;
  }

  /** {@code provider}: auto (the default: BoringSSL when it loads, else the JDK), openssl or jdk. */
  private static Config.TlsProvider provider(Node n) {
    String t = n.text(false);
    if (t == null) {
      return Config.TlsProvider.AUTO;
    }
    return switch (t) {
      case "auto" -> Config.TlsProvider.AUTO;
      case "openssl" -> Config.TlsProvider.OPENSSL;
      case "jdk" -> Config.TlsProvider.JDK;
      default -> {
        n.problem("\"" + t + "\" is not a TLS provider: auto, openssl or jdk");
        yield Config.TlsProvider.AUTO;
      }
    };
  }

  private static Path orDefault(Path dir, Node n, String dflt) {
    return n.isNull() ? dir.resolve(dflt).normalize() : Fields.path(dir, n, true);
  }
}
