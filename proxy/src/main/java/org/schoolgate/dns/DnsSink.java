package org.schoolgate.dns;

import java.net.InetAddress;

/** What the DNS guard reports outside itself; called on event loops, so nothing here may block. */
public interface DnsSink {
  /** A circumvention name looked up by a group that blocks circumvention (once per device, name and minute). */
  void attempt(InetAddress client, String group, String host, String detail);

  /**
   * One answered query (only when {@code dns.log_queries} is on).
   *
   * @param type    the query type's name ({@code A}, {@code HTTPS}, ...)
   * @param outcome an {@link Outcome} label
   * @param answer  the response code and the answer's addresses and aliases
   */
  void query(InetAddress client, String name, String type, String outcome, String answer);
}
