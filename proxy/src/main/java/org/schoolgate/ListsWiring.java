package org.schoolgate;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.schoolgate.alert.Alerts;
import org.schoolgate.blocklist.BlocklistWatcher;
import org.schoolgate.blocklist.Blocklists;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.lists.Fetcher;
import org.schoolgate.lists.ListEvents;
import org.schoolgate.lists.ProxyDns;
import org.schoolgate.lists.Subscriptions;
import org.schoolgate.log.AuditRecord;
import org.schoolgate.policy.CategoryLists;
import org.schoolgate.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a running schoolgate gets its category lists: the folder's files and the subscriptions'
 * last good copies in force from the start; then the folder watched and the subscriptions
 * fetched on the lists thread, each new copy reloaded into the policy, audited and alerted on.
 */
final class ListsWiring {
  private static final Logger log = LoggerFactory.getLogger(ListsWiring.class);
  /** How often the lists thread looks for a subscription that is due. */
  static final Duration LIST_LOOK = Duration.ofSeconds(30);

  private ListsWiring() {}

  /** The subscriptions with their last good copies; nothing is fetched until {@link #start}. */
  static Subscriptions subscriptions(Config config, Clock clock, ProxyDns dns) {
    Config.Lists lists = config.lists();
    return new Subscriptions(lists, config.dataDir(), config.timezone(), clock, new java.security.SecureRandom(),
        new Fetcher(dns, lists.connectTimeout(), lists.readTimeout(), lists.maxSize()));
  }

  /** The category lists in force at start: the folder's files and the subscriptions' copies; bad lines are logged and skipped. */
  static CategoryLists load(Config config, Subscriptions subscriptions) throws java.io.IOException {
    Blocklists.Loaded loaded = Blocklists.load(config.blocklists(), config.referencedCategories().stream()
        .filter(c -> !ConfigLoader.BUILT_IN_CATEGORIES.contains(c)).toList(), subscriptions.inForce());
    for (String problem : loaded.problems()) {
      log.warn("blocklist line skipped: {}", problem);
    }
    log.info("blocklists loaded: {}", loaded.counts());
    return loaded.lists();
  }

  /** Watches the folder and starts fetching; returns the watcher (closed by the caller). */
  static BlocklistWatcher start(Config config, Schoolgate.Options options, Subscriptions subscriptions,
                                org.schoolgate.policy.PolicyEngine engine, Store store, Consumer<AuditRecord> audit,
                                Alerts alerts) {
    BlocklistWatcher watcher = new BlocklistWatcher(config.blocklists(), engine, options.listPollInterval(),
        subscriptions::inForce);
    subscriptions.hooks(new ListEvents(watcher::reload, store, audit, alerts, options.clock(), config.timezone()));
    if (config.lists().subscriptions().stream().anyMatch(Config.Subscription::enabled)) {
      subscriptions.start(LIST_LOOK); // no thread waking every LIST_LOOK for a gateway that subscribes to nothing
    }
    return watcher;
  }
}
