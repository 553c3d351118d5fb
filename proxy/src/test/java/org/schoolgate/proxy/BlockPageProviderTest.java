package org.schoolgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.schoolgate.config.Config;

/** Whose TLS serves the block page, and the JDK's servers leaving the server name to our parse (issue 21 item 11). */
class BlockPageProviderTest {
  private static final String KEY = BlockPageProvider.JDK_SERVER_DISABLED;

  @Test
  void theJdksServersAreToldToLeaveTheServerNameAloneKeepingAnOperatorsOwnList() {
    String before = System.getProperty(KEY);
    try {
      System.clearProperty(KEY);
      BlockPageProvider.jdkLeavesServerNameToUs();
      assertEquals("server_name", System.getProperty(KEY));
      System.setProperty(KEY, "status_request");
      BlockPageProvider.jdkLeavesServerNameToUs();
      assertEquals("status_request,server_name", System.getProperty(KEY));
      BlockPageProvider.jdkLeavesServerNameToUs();
      assertEquals("status_request,server_name", System.getProperty(KEY), "added once");
    } finally {
      if (before == null) {
        System.clearProperty(KEY);
      } else {
        System.setProperty(KEY, before);
      }
    }
  }

  @Test
  void jdkIsAlwaysTheJdkAndOpensslIsBoringSslOrARefusalSayingWhy() {
    assertEquals(SslProvider.JDK, BlockPageProvider.choose(Config.TlsProvider.JDK));
    if (OpenSsl.isAvailable()) {
      assertEquals(SslProvider.OPENSSL, BlockPageProvider.choose(Config.TlsProvider.OPENSSL));
      assertEquals(SslProvider.OPENSSL, BlockPageProvider.choose(Config.TlsProvider.AUTO));
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> BlockPageProvider.choose(Config.TlsProvider.OPENSSL));
      assertEquals(true, e.getMessage().startsWith("tls_block_page.provider is openssl, but BoringSSL"), e.getMessage());
      assertEquals(SslProvider.JDK, BlockPageProvider.choose(Config.TlsProvider.AUTO));
    }
  }
}
