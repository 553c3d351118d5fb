package org.schoolgate.policy;

import org.schoolgate.values.HostSyntax;

/**
 * Google Translate's website proxy names the site it fetches in the first label:
 * {@code www-example-com.translate.goog} is {@code www.example.com}; {@code --} stands for {@code -}.
 */
final class TranslateGoog {
  private TranslateGoog() {}

  /** The host behind a {@code *.translate.goog} name, or null if there is none. */
  static String decode(String host) {
    int end = host.indexOf('.');
    if (end <= 0 || end != host.length() - ".translate.goog".length()) {
      return null; // only LABEL.translate.goog carries a site
    }
    StringBuilder out = new StringBuilder(end);
    for (int i = 0; i < end; i++) {
      char c = host.charAt(i);
      if (c == '-') {
        if (i + 1 < end && host.charAt(i + 1) == '-') {
          out.append('-');
          i++;
        } else {
          out.append('.');
        }
      } else {
        out.append(c);
      }
    }
    String inner = HostSyntax.normalise(out.toString());
    return inner == null || inner.indexOf('.') < 0 ? null : inner;
  }
}
