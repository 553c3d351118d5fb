package org.schoolgate.values;

/** ASCII digits as host names and IP literals spell them: never another script's digits. */
final class Ascii {
  private Ascii() {}

  /** An ASCII digit's value, hex letters of either case included ({@code a}-{@code f}: 10-15), or -1. */
  static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }
}
