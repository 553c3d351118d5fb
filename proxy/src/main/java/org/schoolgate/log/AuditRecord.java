package org.schoolgate.log;


/** One line of {@code audit.jsonl}: who changed what, when, why. */
public record AuditRecord(String ts, String user, String action, String target, String reason) implements JsonRecord {
  @Override
  public void fields(Fields out) {
    out.string("ts", ts);
    out.string("user", user);
    out.string("action", action);
    out.string("target", target);
    out.string("reason", reason);
  }

  @Override
  public String toString() {
    return "audit " + user + " " + action + " " + target;
  }
}
