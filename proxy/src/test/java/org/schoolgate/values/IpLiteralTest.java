package org.schoolgate.values;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.NetUtil;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link IpLiteral} replaced Netty's parser so that the policy needs no Netty; these tests hold
 * it to accepting and reading exactly what Netty's did (tests may use Netty, the policy may not).
 */
class IpLiteralTest {

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4", "0.0.0.0", "255.255.255.255", "01.02.03.004", "010.0.0.1",
      "::", "::1", "[::1]", "::1%eth0", "[fe80::1%eth0]", "fe80::1%", "1::", "::2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7::", "1::2:3:4:5:6:7", "1:2:3:4:5:6:7:8", "FE80::ABCD", "0001:02::3",
      "::1.2.3.4", "::ffff:1.2.3.4", "::FFFF:01.2.3.4", "0:0:0:0:0:ffff:1.2.3.4", "::0:ffff:1.2.3.4",
      "0:0:0:0:0:0:1.2.3.4", "::ffff:1.2.3.4%x", "[::ffff:10.0.0.1]",
      "fe80::1%eth0]"})
  void readsWhatNettyRead(String literal) {
    byte[] expected = NetUtil.createByteArrayFromIpAddressString(literal);
    assertTrue(expected != null, "Netty reads " + literal);
    assertArrayEquals(expected, IpLiteral.bytes(literal), literal);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.0004", "1..2.3", ".1.2.3", "1.2.3.4.",
      " 1.2.3.4", "1.2.3.4 ", "[1.2.3.4]", "1.2.3.4%x", "\u0661.2.3.4", "0x7f.0.0.1", "example.com",
      ":", ":::", ":1::", "1:::2", "a::b::c", "[::1", "::1]", "[]", "%eth0", "12345::", "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", ":1:2:3:4:5:6:7",
      "64:ff9b::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "::ffff:0:1.2.3.4", "::1.2.3.4.5", "::ffff:1.2.3",
      "::00ff:1.2.3.4", "::1.2.3.4:5", "::g"})
  void refusesWhatNettyRefused(String notLiteral) {
    assertNull(NetUtil.createByteArrayFromIpAddressString(notLiteral), "Netty refuses " + notLiteral);
    assertNull(IpLiteral.bytes(notLiteral), notLiteral);
  }

  /** Random strings of literal characters, and random well-formed addresses with one thing changed. */
  @Test
  void agreesWithNettyOnRandomInput() {
    Random random = new Random(11);
    String alphabet = "0123456789abcdefABCDEF::::....%[]xg";
    int accepted = 0;
    for (int n = 0; n < 300_000; n++) {
      String s;
      if (n % 2 == 0) {
        StringBuilder b = new StringBuilder();
        int len = random.nextInt(24);
        for (int i = 0; i < len; i++) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        s = b.toString();
      } else {
        s = mutate(wellFormed(random), random);
      }
      byte[] expected = NetUtil.createByteArrayFromIpAddressString(s);
      byte[] actual = IpLiteral.bytes(s);
      assertArrayEquals(expected, actual, '"' + s + '"');
      if (expected != null) {
        accepted++;
      }
    }
    assertTrue(accepted > 30_000, "enough valid literals were tried: " + accepted);
  }

  private static String wellFormed(Random random) {
    if (random.nextInt(4) == 0) {
      return random.nextInt(300) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
    }
    int groups = random.nextInt(9);
    boolean v4 = random.nextInt(4) == 0;
    StringBuilder b = new StringBuilder();
    int compress = groups == 8 && !v4 ? -1 : random.nextInt(groups + 1);
    for (int g = 0; g < groups; g++) {
      if (g == compress) {
        b.append(g == 0 ? "::" : ":");
      } else if (g > 0) {
        b.append(':');
      }
      int w = random.nextInt(3) == 0 ? 0 : random.nextInt(3) == 0 ? 0xffff : random.nextInt(0x10000);
      b.append(Integer.toHexString(w));
    }
    if (compress == groups) {
      b.append("::");
    }
    if (v4) {
      b.append(b.length() == 0 || b.charAt(b.length() - 1) == ':' ? "" : ":");
      b.append(random.nextInt(256)).append('.').append(random.nextInt(256)).append('.')
          .append(random.nextInt(256)).append('.').append(random.nextInt(256));
    }
    String s = b.toString();
    return random.nextInt(8) == 0 ? "[" + s + "]" : random.nextInt(8) == 0 ? s + "%eth0" : s;
  }

  private static String mutate(String s, Random random) {
    if (s.isEmpty() || random.nextInt(3) != 0) {
      return s;
    }
    int at = random.nextInt(s.length());
    String with = String.valueOf("0f:.%[]G".charAt(random.nextInt(8)));
    switch (random.nextInt(3)) {
      case 0: return s.substring(0, at) + s.substring(at + 1);
      case 1: return s.substring(0, at) + with + s.substring(at);
      default: return s.substring(0, at) + with + s.substring(at + 1);
    }
  }
}
