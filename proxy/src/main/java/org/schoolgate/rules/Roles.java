package org.schoolgate.rules;

import java.util.Set;

/** The accounts' roles (SPEC section 6): who may do what is said with these, in the API's and the console's one route table. */
public final class Roles {
  /** Every role an account can have. */
  public static final Set<String> ALL = Set.of("head", "netmgr", "staff");
  /** The headteacher and the network manager: every page and every change; staff only report a site. */
  public static final Set<String> MANAGERS = Set.of("head", "netmgr");

  private Roles() {}
}
