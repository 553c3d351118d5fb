package org.schoolgate.log;

/**
 * Sees every access line on the log writer thread, after it is written: where aggregates such as
 * the review's counters are kept without touching an event loop. Called on that one thread only.
 */
public interface AccessTap {
  AccessTap NONE = new AccessTap() {
    @Override
    public void access(AccessRecord record) {}

    @Override
    public void idle(boolean closing) {}
  };

  void access(AccessRecord record);

  /** Both taps, {@code first} then {@code second}, for every line and every idle call. */
  static AccessTap both(AccessTap first, AccessTap second) {
    return new AccessTap() {
      @Override
      public void access(AccessRecord record) {
        first.access(record);
        second.access(record);
      }

      @Override
      public void idle(boolean closing) {
        first.idle(closing);
        second.idle(closing);
      }
    };
  }

  /** After each batch of lines and when there were none (at least every 20 ms); {@code closing} on the last call. */
  void idle(boolean closing);
}
