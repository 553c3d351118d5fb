package org.schoolgate.log;

import java.util.Arrays;

/**
 * One JSON object on one line, built in a reusable UTF-8 byte buffer. Strings are escaped as
 * JSON requires (quote, backslash, control characters); a lone surrogate, which no UTF-8 can
 * hold, becomes U+FFFD. Not thread-safe: one per thread.
 */
public final class JsonLine implements Fields {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private byte[] buf = new byte[512];
  private int len;
  private boolean first;

  /** Starts a new line: clears the buffer and opens the object. */
  public JsonLine begin() {
    len = 0;
    first = true;
    put((byte) '{');
    return this;
  }

  /** Closes the object, ends the line, and returns a copy of its bytes. */
  public byte[] end() {
    put((byte) '}');
    put((byte) '\n');
    return Arrays.copyOf(buf, len);
  }

  @Override
  public void string(String name, String value) {
    name(name);
    if (value == null) {
      ascii("null");
    } else {
      quoted(value);
    }
  }

  @Override
  public void number(String name, long value) {
    name(name);
    if (value == Long.MIN_VALUE) { // the one value whose negation does not fit
      ascii(Long.toString(value));
      return;
    }
    ensure(20);
    if (value < 0) {
      buf[len++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long v = value / 10; v != 0; v /= 10) {
      digits++;
    }
    for (int i = len + digits - 1; i >= len; i--) {
      buf[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    len += digits;
  }

  private void name(String name) {
    if (!first) {
      put((byte) ',');
    }
    first = false;
    quoted(name);
    put((byte) ':');
  }

  private void quoted(String s) {
    ensure(s.length() * 6 + 2); // the worst case: every char a six-byte \\u escape
    byte[] b = buf;
    int at = len;
    b[at++] = '"';
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80) {
        if (c == '"' || c == '\\') {
          b[at++] = '\\';
        }
        b[at++] = (byte) c;
      } else if (c < 0x20) {
        at = control(b, at, c);
      } else if (c < 0x800) {
        b[at++] = (byte) (0xc0 | c >> 6);
        b[at++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[at++] = (byte) (0xf0 | cp >> 18);
        b[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
        b[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
        b[at++] = (byte) (0x80 | cp & 0x3f);
      } else {
        char x = Character.isSurrogate(c) ? '\ufffd' : c;
        b[at++] = (byte) (0xe0 | x >> 12);
        b[at++] = (byte) (0x80 | x >> 6 & 0x3f);
        b[at++] = (byte) (0x80 | x & 0x3f);
      }
    }
    b[at++] = '"';
    len = at;
  }

  private static int control(byte[] b, int at, char c) {
    b[at++] = '\\';
    switch (c) {
      case '\n' -> b[at++] = 'n';
      case '\r' -> b[at++] = 'r';
      case '\t' -> b[at++] = 't';
      case '\b' -> b[at++] = 'b';
      case '\f' -> b[at++] = 'f';
      default -> {
        b[at++] = 'u';
        b[at++] = '0';
        b[at++] = '0';
        b[at++] = HEX[c >> 4];
        b[at++] = HEX[c & 0xf];
      }
    }
    return at;
  }

  private void ascii(String s) {
    ensure(s.length());
    for (int i = 0, n = s.length(); i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
