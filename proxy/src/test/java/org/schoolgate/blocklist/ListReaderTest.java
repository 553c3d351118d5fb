package org.schoolgate.blocklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.schoolgate.policy.CategoryLists;
import org.schoolgate.values.HostSyntax;

/** The byte-level reader: its fast path agrees with the parser, line numbers survive buffer edges. */
class ListReaderTest {

  @Test
  void theFastPathTakesOnlyWhatTheParserWouldKeepUnchanged() {
    String[] lines = {"example.com", "a.b-c.co.uk", "x_y.example", "ab.c", "-bad.com", "bad-.com", "a..com", ".a.com",
        "a.com.", "com", "1.2.3.4", "a.0x1f", "a.123", "Example.com", "exa mple.com", "*.a.com", "||a.com^",
        "0.0.0.0 a.com", "a.com # c", "caf\u00e9.fr", "a".repeat(64) + ".com", "a".repeat(63) + ".com",
        ("abcdefghi." ).repeat(25) + "com", ("abcdefghi.").repeat(24) + "co.uk", "a.c1", "a.1c"};
    for (String line : lines) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      boolean fast = ListReader.isPlainDomain(b, 0, b.length);
      String normal = HostSyntax.normalise(line);
      boolean parserKeepsItAsIs = line.equals(normal) && !HostSyntax.isIpLiteral(normal) && line.indexOf('.') > 0;
      if (fast) {
        assertTrue(parserKeepsItAsIs, line + " took the fast path but the parser gives " + normal);
      }
    }
    assertTrue(ListReader.isPlainDomain("example.com".getBytes(StandardCharsets.US_ASCII), 0, 11));
    assertFalse(ListReader.isPlainDomain("a.123".getBytes(StandardCharsets.US_ASCII), 0, 5));
  }

  @Test
  void everyLineIsReadAcrossBufferEdgesWithItsNumber() throws IOException {
    StringBuilder text = new StringBuilder();
    int domains = 0;
    for (int i = 0; i < 20_000; i++) {
      if (i % 997 == 5) {
        text.append("not a domain ").append(i).append("\r\n");
      } else if (i % 3 == 0) {
        text.append("0.0.0.0 Host").append(i).append(".Example.org\r\n");
        domains++;
      } else {
        text.append("site").append(i).append(".example.com\n");
        domains++;
      }
    }
    text.append("last.example.net"); // no newline at the end
    domains++;
    List<String> problems = new ArrayList<>();
    CategoryLists.Builder builder = new CategoryLists.Builder(List.of("c"));

    int count = ListReader.read(new Trickle(text.toString().getBytes(StandardCharsets.UTF_8)), "c.txt", 0, builder,
        problems);

    assertEquals(domains, count);
    assertEquals(21, problems.size());
    assertEquals("c.txt:6: \"not a domain 5\" is not a domain", problems.get(0));
    assertEquals("c.txt:1003: \"not a domain 1002\" is not a domain", problems.get(1));
    CategoryLists lists = builder.build();
    assertEquals(1, lists.categoriesOf("site19999.example.com"));
    assertEquals(1, lists.categoriesOf("host19998.example.org"));
    assertEquals(1, lists.categoriesOf("last.example.net"));
    assertEquals(domains, lists.domainCount());
  }

  @Test
  void aLineLongerThanTheBufferIsOneProblemAndTheNextLinesStillCount() throws IOException {
    String text = "a.example\n" + "x".repeat(200_000) + "\nb.example\n" + "y".repeat(70_000);
    List<String> problems = new ArrayList<>();
    CategoryLists.Builder builder = new CategoryLists.Builder(List.of("c"));

    int count = ListReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "c.txt", 0,
        builder, problems);

    assertEquals(2, count);
    assertEquals(List.of("c.txt:2: a line longer than 65536 bytes is not a list entry",
        "c.txt:4: a line longer than 65536 bytes is not a list entry"), problems);
    assertEquals(1, builder.build().categoriesOf("b.example"));
  }

  @Test
  void aStrayByteCostsItsLineOnly() throws IOException {
    byte[] text = "a.example\nb\u00ff.example\nc.example\n".getBytes(StandardCharsets.ISO_8859_1);
    List<String> problems = new ArrayList<>();

    int count = ListReader.read(new ByteArrayInputStream(text), "c.txt", -1, new CategoryLists.Builder(List.of()),
        problems);

    assertEquals(2, count);
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("c.txt:2: "), problems.get(0));
  }

  @Test
  void linesAreCountedWithOrWithoutAFinalNewline(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    java.nio.file.Path file = dir.resolve("l.txt");
    java.nio.file.Files.writeString(file, "a.com\nb.com\n");
    assertEquals(2, ListReader.countLines(file));
    java.nio.file.Files.writeString(file, "a.com\nb.com");
    assertEquals(2, ListReader.countLines(file));
    java.nio.file.Files.writeString(file, "");
    assertEquals(0, ListReader.countLines(file));
    java.nio.file.Files.writeString(file, "x.com\n".repeat(100_000));
    assertEquals(100_000, ListReader.countLines(file));
  }

  /** Hands out a few bytes at a time, as a network stream or a decompressor may. */
  private static final class Trickle extends InputStream {
    private final byte[] data;
    private int pos;
    private int step;

    Trickle(byte[] data) {
      this.data = data;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, data.length - pos), 1 + (step++ * 7919) % 9000);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
