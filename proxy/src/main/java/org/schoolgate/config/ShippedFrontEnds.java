package org.schoolgate.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.schoolgate.policy.SearchFrontEnds;

/**
 * The search engines' and YouTube's enforced front ends (SPEC section 10), shipped in the jar as
 * {@code safe-search.txt} and read once, the first time a policy is built. The policy parses the
 * text; reading it from the jar is done here, because the policy does no I/O.
 */
public final class ShippedFrontEnds {
  /** Where the data sits on the class path. */
  public static final String RESOURCE = "/safe-search.txt";

  private ShippedFrontEnds() {}

  private static final class Holder {
    static final SearchFrontEnds FRONT_ENDS = read();
  }

  /** The shipped mapping. */
  public static SearchFrontEnds get() {
    return Holder.FRONT_ENDS;
  }

  /** The shipped text, line by line. */
  public static List<String> lines() {
    try (InputStream in = ShippedFrontEnds.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
    }
  }

  private static SearchFrontEnds read() {
    try {
      return SearchFrontEnds.parse(lines());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(RESOURCE + " in the jar: " + e.getMessage(), e);
    }
  }
}
