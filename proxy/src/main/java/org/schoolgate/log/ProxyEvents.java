package org.schoolgate.log;

/**
 * What the listeners report. Called on event loops: implementations must not block or do I/O
 * inline. One no-op default per callback so a listener implements only what it needs.
 */
public interface ProxyEvents {
  ProxyEvents NONE = new ProxyEvents() {};

  /** A request or tunnel ended. */
  default void access(AccessRecord record) {}

  /** A circumvention attempt was blocked. */
  default void circumvention(CircumventionRecord record) {}

  /**
   * A circumvention attempt was blocked, and its refusal waits for {@code durable}: a sink that
   * stores events holds it until the event is written. Others need not override this.
   */
  default void circumvention(CircumventionRecord record, Durable durable) {
    circumvention(record);
  }

  /** Fans one event out to several listeners, in order. */
  static ProxyEvents all(ProxyEvents... listeners) {
    return new ProxyEvents() {
      @Override
      public void access(AccessRecord record) {
        for (ProxyEvents l : listeners) {
          l.access(record);
        }
      }

      @Override
      public void circumvention(CircumventionRecord record) {
        for (ProxyEvents l : listeners) {
          l.circumvention(record);
        }
      }

      @Override
      public void circumvention(CircumventionRecord record, Durable durable) {
        for (ProxyEvents l : listeners) {
          l.circumvention(record, durable);
        }
      }
    };
  }
}
