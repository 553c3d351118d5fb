package org.schoolgate.alert;

import java.time.ZoneId;
import org.schoolgate.store.Rows;

/** One way an alert leaves the gateway (email, webhook). {@link #send} blocks: it is called on the sender's thread only. */
interface Channel {
  /** Delivers {@code alert}, or throws saying why not (it will be tried again). */
  void send(Rows.Alert alert, ZoneId zone) throws Exception;
}
