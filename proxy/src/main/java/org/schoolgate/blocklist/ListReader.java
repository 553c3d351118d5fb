package org.schoolgate.blocklist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.schoolgate.policy.CategoryLists;

/**
 * Reads a list file's lines into a {@link CategoryLists.Builder}. The common line, a bare
 * lower-case domain (all of UT1's {@code CATEGORY/domains} files), is checked and hashed in the
 * read buffer itself, without decoding it or making a string; every other line is decoded
 * (a stray byte costs that line only) and parsed by {@link ListLine}, which reports garbage.
 * A line longer than the buffer (64 KiB) is reported and skipped, so memory stays bounded.
 */
public final class ListReader {
  private static final int BUFFER = 1 << 16;
  private static final int MAX_DOMAIN = 253;
  private static final int MAX_LABEL = 63;

  private ListReader() {}

  /**
   * Reads {@code in} to its end; adds each domain to {@code category} of {@code builder} (or
   * only counts it when {@code category} is negative) and each unparseable line to
   * {@code problems} as {@code SHOWN:LINE: message}. Returns the number of domains read.
   */
  public static int read(InputStream in, String shown, int category, CategoryLists.Builder builder,
      List<String> problems) throws IOException {
    byte[] buf = new byte[BUFFER];
    int start = 0; // first byte of the current line
    int end = 0; // bytes in buf
    int lineNumber = 0;
    int count = 0;
    boolean skipping = false; // inside a line too long for the buffer
    while (true) {
      int n = in.read(buf, end, buf.length - end);
      boolean eof = n < 0;
      if (!eof) {
        end += n;
      }
      int i = start;
      while (true) {
        int nl = indexOf(buf, (byte) '\n', i, end);
        if (nl < 0) {
          break;
        }
        lineNumber++;
        if (skipping) {
          skipping = false;
        } else {
          count += line(buf, start, nl, shown, lineNumber, category, builder, problems);
        }
        start = nl + 1;
        i = start;
      }
      if (eof) {
        if (start < end && !skipping) {
          count += line(buf, start, end, shown, ++lineNumber, category, builder, problems);
        }
        return count;
      }
      if (start == 0 && end == buf.length) {
        if (!skipping) {
          problems.add(shown + ":" + (lineNumber + 1) + ": a line longer than " + BUFFER + " bytes is not a list entry");
        }
        skipping = true;
        end = 0;
        continue;
      }
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
  }

  /** Lines in a file (a last line without a newline counts), read in 64 KiB blocks. */
  static long countLines(Path file) throws IOException {
    byte[] buf = new byte[BUFFER];
    long lines = 0;
    byte last = '\n';
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines++;
          }
        }
        last = buf[n - 1];
      }
    }
    return last == '\n' ? lines : lines + 1;
  }

  private static int line(byte[] buf, int from, int to, String shown, int lineNumber, int category,
      CategoryLists.Builder builder, List<String> problems) {
    if (to > from && buf[to - 1] == '\r') {
      to--;
    }
    if (isPlainDomain(buf, from, to)) {
      if (category >= 0) {
        builder.addAscii(buf, from, to, category);
      }
      return 1;
    }
    ListLine.Parsed parsed = ListLine.parse(new String(buf, from, to - from, StandardCharsets.UTF_8));
    if (parsed.problem() != null) {
      problems.add(shown + ":" + lineNumber + ": " + parsed.problem());
      return 0;
    }
    if (category >= 0) {
      for (String domain : parsed.domains()) {
        builder.add(domain, category);
      }
    }
    return parsed.domains().size();
  }

  /**
   * A normalised domain as {@link org.schoolgate.values.HostSyntax#normalise} would return it
   * unchanged: lower-case ASCII labels of 1..63 characters not starting or ending with a hyphen,
   * at least two of them, 253 characters at most, the last starting with a letter (so it is no
   * IP address). Anything else (upper case, spaces, comments, other formats) takes the slow path.
   */
  static boolean isPlainDomain(byte[] b, int from, int to) {
    int len = to - from;
    if (len < 3 || len > MAX_DOMAIN) {
      return false;
    }
    int labelStart = from;
    int dots = 0;
    for (int i = from; i <= to; i++) {
      byte c = i == to ? (byte) '.' : b[i];
      if (c == '.') {
        int labelLength = i - labelStart;
        if (labelLength == 0 || labelLength > MAX_LABEL || b[labelStart] == '-' || b[i - 1] == '-') {
          return false;
        }
        if (i < to) {
          dots++;
          labelStart = i + 1;
        }
      } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    byte first = b[labelStart];
    return dots > 0 && first >= 'a' && first <= 'z';
  }

  private static int indexOf(byte[] b, byte value, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
