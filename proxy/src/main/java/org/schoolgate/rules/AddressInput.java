package org.schoolgate.rules;

import java.net.InetAddress;
import org.schoolgate.admin.ApiError;
import org.schoolgate.values.HostSyntax;

/** A device's IP address as a person, a form or a URL gives it, read the same way everywhere (the sibling of {@link DomainInput}). */
public final class AddressInput {
  private AddressInput() {}

  /** The address, brackets allowed ({@code [2001:db8::1]}); 400 for anything else. */
  public static InetAddress parse(String s) {
    InetAddress a = HostSyntax.ipAddress(s.replace("[", "").replace("]", ""));
    if (a == null) {
      throw new ApiError(400, "\"" + s + "\" is not an IP address");
    }
    return a;
  }
}
