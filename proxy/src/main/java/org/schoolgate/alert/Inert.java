package org.schoolgate.alert;

/**
 * Text from pupils and staff (request paths, notes, device names) made inert for each channel an
 * alert goes by (SPEC 11; issue 21.4): one line, length-capped, and in the webhook's rendered
 * {@code text} without any markup Slack or Teams would act on.
 */
public final class Inert {
  private Inert() {}

  /**
   * One line of at most {@code max} characters: every control character, line or paragraph
   * separator and bidirectional override becomes a space (runs of them one), and what is past
   * {@code max} is cut and marked with an ellipsis.
   */
  public static String line(String s, int max) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max + 1));
    boolean space = false;
    for (int i = 0; i < s.length() && b.length() <= max; i++) {
      char c = s.charAt(i);
      boolean blank = Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.isWhitespace(c)
          || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';
      if (blank) {
        if (!space && b.length() > 0) {
          b.append(' ');
        }
        space = true;
      } else {
        b.append(c);
        space = false;
      }
    }
    String out = b.toString().strip();
    return out.length() > max ? out.substring(0, max - 1) + "\u2026" : out;
  }

  /**
   * For a chat message's text (Slack mrkdwn, Teams markdown): {@code &}, {@code <} and {@code >}
   * escaped as Slack asks (so no {@code <url|text>} link and no {@code <!channel>}), and the
   * characters that start emphasis, code, links or mentions ({@code * _ ~ ` [ ] @ #}) replaced by
   * look-alikes that mean nothing to either.
   */
  static String chat(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '*' -> b.append('\u2217');
        case '_' -> b.append('\u02CD');
        case '~' -> b.append('\u223C');
        case '`' -> b.append('\u02CB');
        case '[' -> b.append('\uFF3B');
        case ']' -> b.append('\uFF3D');
        case '@' -> b.append('\uFF20');
        case '#' -> b.append('\uFF03');
        case '|' -> b.append('\u2223');
        case '\\' -> b.append('\u29F5');
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * A request path as inert text: at most {@code max} characters, everything but the characters
   * of a plain URL path percent-encoded (so no space, no line break, no markup, no backtick).
   */
  public static String path(String path, int max) {
    if (path == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    byte[] bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte x : bytes) {
      int c = x & 0xff;
      if (b.length() >= max) {
        b.append('\u2026');
        break;
      }
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-._/?=&%+,;:!$'()".indexOf(c) >= 0;
      if (plain) {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }
}
