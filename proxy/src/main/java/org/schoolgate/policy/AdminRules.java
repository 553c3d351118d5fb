package org.schoolgate.policy;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What the admin endpoint has decided, compiled for lookup: blocked domains (category
 * {@code reported}), school-wide allows from approved unblock reports, curriculum overrides,
 * and the devices under lockdown supervision. Immutable; each change builds a new one.
 */
public final class AdminRules {
  public static final AdminRules EMPTY = new AdminRules(List.of(), List.of(), List.of(), Set.of());

  final DomainIndex blocks;
  final DomainIndex allows;
  final List<CurriculumOverride> overrides;
  final DomainIndex[] overrideDomains;
  final Set<InetAddress> lockdown;

  public AdminRules(Collection<String> blockedDomains, Collection<String> allowedDomains,
                    List<CurriculumOverride> overrides, Set<InetAddress> lockdown) {
    this.blocks = DomainIndex.of(blockedDomains);
    this.allows = DomainIndex.of(allowedDomains);
    this.overrides = List.copyOf(overrides);
    this.overrideDomains = new DomainIndex[this.overrides.size()];
    for (int i = 0; i < overrideDomains.length; i++) {
      overrideDomains[i] = DomainIndex.of(this.overrides.get(i).domains());
    }
    this.lockdown = Set.copyOf(lockdown);
  }

  public AdminRules withLockdown(Set<InetAddress> devices) {
    return new AdminRules(this, Set.copyOf(devices));
  }

  private AdminRules(AdminRules base, Set<InetAddress> lockdown) {
    this.blocks = base.blocks;
    this.allows = base.allows;
    this.overrides = base.overrides;
    this.overrideDomains = base.overrideDomains;
    this.lockdown = lockdown;
  }
}
