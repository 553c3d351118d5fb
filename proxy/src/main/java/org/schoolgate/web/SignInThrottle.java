package org.schoolgate.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Throttles failed sign-ins the way OWASP's Authentication and Credential Stuffing cheat sheets
 * advise, without ever blocking a thread:
 * <ul>
 *   <li>per account and address: after {@value #FREE_FAILURES} failures for one account from one
 *       address, that account is refused from that address for 1 s, doubling with each further
 *       failure up to 15 minutes; a good sign-in clears it, and 24 h without a failure forgets it.
 *       Someone guessing the head's password from a shared staff address slows only that guessing:
 *       the head signs in from elsewhere, and colleagues sign in from the shared address;</li>
 *   <li>per address, a looser ceiling across all accounts: {@value #ADDRESS_CEILING} failures in
 *       10 minutes (a leaky bucket, so a burst at the edge of a window buys nothing), after which
 *       the address tries no more passwords until the bucket drains, so one address cannot spray
 *       a few guesses at each of many accounts;</li>
 *   <li>per account, across addresses (issue 21.7): {@value #ACCOUNT_CEILING} failures in 10
 *       minutes from addresses that account has never signed in from (a leaky bucket again), after
 *       which it is refused from every such address until the bucket drains; an address where it
 *       signed in successfully in the last {@link #KNOWN_FOR} (the head's own desk) is not held
 *       to it, so guessing from twenty staff PCs cannot lock the head out of her own.</li>
 * </ul>
 * Refusals say how long to wait. Time comes from the injected clock.
 */
final class SignInThrottle {
  static final int FREE_FAILURES = 5;
  static final Duration FIRST_BACK_OFF = Duration.ofSeconds(1);
  static final Duration MAX_BACK_OFF = Duration.ofMinutes(15);
  static final Duration FORGET_AFTER = Duration.ofHours(24);
  static final int ADDRESS_CEILING = 100;
  static final Duration ADDRESS_WINDOW = Duration.ofMinutes(10);
  /** The bucket drains one failure per this interval (6 s): {@link #ADDRESS_CEILING} per window. */
  private static final Duration DRAIN = ADDRESS_WINDOW.dividedBy(ADDRESS_CEILING);
  static final int ACCOUNT_CEILING = 20;
  static final Duration ACCOUNT_WINDOW = Duration.ofMinutes(10);
  private static final Duration ACCOUNT_DRAIN = ACCOUNT_WINDOW.dividedBy(ACCOUNT_CEILING);
  /** How long an address where an account signed in counts as that account's own. */
  static final Duration KNOWN_FOR = Duration.ofDays(30);
  /** Longer names are never users ({@code user add} allows 64 characters); they share one key. */
  private static final int MAX_NAME = 64;

  /** Why a sign-in is refused now, and for how long; {@code wholeAccount}: the account, from every address it has not used. */
  record Refusal(Duration retryAfter, boolean wholeAddress, boolean wholeAccount) {
    Refusal(Duration retryAfter, boolean wholeAddress) {
      this(retryAfter, wholeAddress, false);
    }
  }

  private record Pair(String account, InetAddress from) {}

  private record Strikes(int failures, Instant last) {
    /** How long from {@code now} this account must wait at this address; zero or less when it need not. */
    Duration waitFrom(Instant now) {
      return failures < FREE_FAILURES ? Duration.ZERO : Duration.between(now, last.plus(backOff(failures)));
    }
  }

  private final Clock clock;
  private final Cache<Pair, Strikes> pairs = Caffeine.newBuilder()
      .expireAfterWrite(FORGET_AFTER).maximumSize(100_000).build();
  /** Per address, the leaky bucket as the instant it will be empty (the "theoretical arrival time" of GCRA). */
  private final Cache<InetAddress, Instant> addresses = Caffeine.newBuilder()
      .expireAfterWrite(ADDRESS_WINDOW.multipliedBy(2)).maximumSize(100_000).build();

  /** Per account, the leaky bucket of failures from addresses it has not signed in from. */
  private final Cache<String, Instant> accounts = Caffeine.newBuilder()
      .expireAfterWrite(ACCOUNT_WINDOW.multipliedBy(2)).maximumSize(100_000).build();
  /** The addresses each account signed in from, when it last did. */
  private final Cache<Pair, Instant> known = Caffeine.newBuilder()
      .expireAfterWrite(KNOWN_FOR).maximumSize(100_000).build();

  SignInThrottle(Clock clock) {
    this.clock = clock;
  }

  /** The back-off after {@code failures} failures (at least {@link #FREE_FAILURES}). */
  static Duration backOff(int failures) {
    int doublings = Math.min(failures - FREE_FAILURES, 20);
    Duration d = FIRST_BACK_OFF.multipliedBy(1L << doublings);
    return d.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : d;
  }

  /** Null when {@code account} may try a password from {@code from} now, else why not and for how long. */
  Refusal check(String account, InetAddress from) {
    Instant now = clock.instant();
    Instant full = addresses.getIfPresent(from);
    if (full != null) {
      Duration over = Duration.between(now, full).minus(DRAIN.multipliedBy(ADDRESS_CEILING - 1));
      if (over.compareTo(Duration.ZERO) > 0) {
        return new Refusal(over, true);
      }
    }
    if (!known(account, from, now)) {
      Instant accountFull = accounts.getIfPresent(key(account));
      Duration over = accountFull == null ? Duration.ZERO
          : Duration.between(now, accountFull).minus(ACCOUNT_DRAIN.multipliedBy(ACCOUNT_CEILING - 1));
      if (over.compareTo(Duration.ZERO) > 0) {
        return new Refusal(over, false, true);
      }
    }
    Strikes s = current(pairs.getIfPresent(pair(account, from)), now);
    Duration wait = s == null ? Duration.ZERO : s.waitFrom(now);
    return wait.compareTo(Duration.ZERO) > 0 ? new Refusal(wait, false) : null;
  }

  void failed(String account, InetAddress from) {
    Instant now = clock.instant();
    pairs.asMap().compute(pair(account, from), (k, s) -> {
      Strikes c = current(s, now);
      return new Strikes(c == null ? 1 : c.failures() + 1, now);
    });
    addresses.asMap().compute(from, (k, full) -> (full == null || full.isBefore(now) ? now : full).plus(DRAIN));
    if (!known(account, from, now)) {
      accounts.asMap().compute(key(account), (k, full) -> (full == null || full.isBefore(now) ? now : full).plus(ACCOUNT_DRAIN));
    }
  }

  /** A good sign-in clears its account's failures from that address (not the address's bucket). */
  void succeeded(String account, InetAddress from) {
    pairs.invalidate(pair(account, from));
    known.put(pair(account, from), clock.instant());
  }

  private boolean known(String account, InetAddress from, Instant now) {
    Instant last = known.getIfPresent(pair(account, from));
    return last != null && now.isBefore(last.plus(KNOWN_FOR));
  }

  /** The strikes still counted at {@code now}: none once a day has passed without a failure. */
  private static Strikes current(Strikes s, Instant now) {
    return s == null || !now.isBefore(s.last().plus(FORGET_AFTER)) ? null : s;
  }

  private static Pair pair(String account, InetAddress from) {
    return new Pair(key(account), from);
  }

  private static String key(String account) {
    return account.length() > MAX_NAME ? account.substring(0, MAX_NAME) : account;
  }
}
