package org.schoolgate.console;

/**
 * What every console page needs besides its own content: its title, which navigation entry is
 * current, who is signed in, the CSRF token its forms carry, and a message from the last action; {@code form}: what the form this page shows was sent
 * with and what was wrong with it ({@link FormState#EMPTY} when shown fresh).
 */
public record View(String title, String nav, String user, String role, String csrf, String flash, boolean flashError,
                   FormState form) {
  /** The headteacher and the network manager see every page; staff only "report a site". */
  public boolean manager() {
    return "head".equals(role) || "netmgr".equals(role);
  }

  /** The role in words. */
  public String roleWords() {
    return switch (role) {
      case "head" -> "headteacher";
      case "netmgr" -> "network manager";
      default -> "staff";
    };
  }
}
