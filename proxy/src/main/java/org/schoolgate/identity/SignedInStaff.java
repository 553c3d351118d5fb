package org.schoolgate.identity;

import java.net.InetAddress;
import java.util.function.BiPredicate;
import org.schoolgate.config.Config;
import org.schoolgate.policy.PolicyEngine;

/**
 * Who is staff for the safeguarding alerts (SPEC 11, 15): a client {@link Config#staff} says is
 * staff (it reaches the console and is not in the default group), or one whose group comes from
 * the user signed in on it by RADIUS accounting and is not the default group. A teacher signed in
 * on a pupils' network address is staff for the policy, and so raises no "pupil blocked" alert;
 * a pupil signed in on a staff address is a pupil, and does.
 */
public final class SignedInStaff {
  private SignedInStaff() {}

  /** The predicate of {@code (client, group)}: the group is the one the access line carries. */
  public static BiPredicate<InetAddress, String> or(Config config, PolicyEngine engine) {
    String pupils = config.defaultGroup();
    return (client, group) -> engine.policy().identities().grouped(client)
        ? !pupils.equals(group)
        : config.staff(client, group);
  }
}
