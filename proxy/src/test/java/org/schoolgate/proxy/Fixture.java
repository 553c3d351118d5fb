package org.schoolgate.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.schoolgate.blocklist.Blocklists;
import org.schoolgate.config.Config;
import org.schoolgate.config.ConfigLoader;
import org.schoolgate.log.AccessRecord;
import org.schoolgate.log.CircumventionRecord;
import org.schoolgate.log.Durable;
import org.schoolgate.log.ProxyEvents;
import org.schoolgate.net.HostsFile;
import org.schoolgate.net.Neighbours;
import org.schoolgate.net.Resolver;
import org.schoolgate.net.SelfAddresses;
import org.schoolgate.net.Transport;
import org.schoolgate.net.UpstreamConnector;
import org.schoolgate.policy.AdminRules;
import org.schoolgate.policy.Policy;
import org.schoolgate.policy.PolicyEngine;

/**
 * A ProxyContext for handler tests on EmbeddedChannel: a real configuration and policy
 * (pupils 10.10.0.0/16 block social and circumvention; facebook.com is social), events
 * recorded, time fixed in a lesson, and devices whose remote address is a real IP.
 */
final class Fixture {
  static final String PUPIL = "10.10.1.1";
  static final String STAFF = "10.20.1.1";
  /** A Monday, 11:00 London: lesson time. */
  static final Instant LESSON = Instant.parse("2026-11-23T11:00:00Z");

  final ProxyContext px;
  final List<AccessRecord> access = new CopyOnWriteArrayList<>();
  final List<CircumventionRecord> events = new CopyOnWriteArrayList<>();
  /** Set: events are taken but not "written" until the test calls {@link Durable#written} on what waits here. */
  volatile boolean holdEvents;
  final List<Durable> unwritten = new CopyOnWriteArrayList<>();

  Fixture(Path dir, UnaryOperator<String> edit) throws Exception {
    this(dir, edit, HttpsBlockPage.OFF);
  }

  /** As above, with the HTTPS block page given (tests make one with a CA of their own). */
  Fixture(Path dir, UnaryOperator<String> edit, HttpsBlockPage blockPage) throws Exception {
    Path lists = dir.resolve("blocklists");
    Files.createDirectories(lists);
    for (String c : List.of("chat", "forums", "media-sharing", "microblogging")) {
      Files.writeString(lists.resolve(c + ".txt"), "");
    }
    Files.writeString(lists.resolve("social.txt"), "facebook.com\n");
    Files.writeString(lists.resolve("circumvention.txt"), "nordvpn.com\n");
    Path file = dir.resolve("schoolgate.yaml");
    Files.writeString(file, edit.apply("""
        timezone: Europe/London
        listen:
          proxy: 127.0.0.1:3128
        upstream:
          connect_timeout: 1s
        networks:
          pupils: [10.10.0.0/16]
          staff: [10.20.0.0/16]
        default_group: pupils
        timetable:
          days: [MON, TUE, WED, THU, FRI]
          school_day: "08:45-15:15"
          breaks: ["10:30-10:45", "12:00-13:00"]
        groups:
          pupils:
            block: [social, forums, chat, media-sharing, microblogging, circumvention]
          staff:
            block: [circumvention]
        blocklists: blocklists/
        data_dir: data/
        log_dir: logs/
        log_retention_days: 90
        limits:
          request_head_timeout: 30s
        """));
    Config config = ConfigLoader.load(file);
    Blocklists.Loaded loaded = Blocklists.load(config.blocklists(), List.of("social", "circumvention", "chat", "forums",
        "media-sharing", "microblogging"));
    PolicyEngine engine = new PolicyEngine(new Policy(config.policy(), loaded.lists(), AdminRules.EMPTY),
        Clock.fixed(LESSON, ZoneOffset.UTC));
    Transport transport = Transport.best();
    Resolver resolver = new Resolver(HostsFile.EMPTY, transport, Duration.ofSeconds(1), List.of(
        new InetSocketAddress("127.0.0.1", 9)), Duration.ofMinutes(1));
    UpstreamConnector connector = new UpstreamConnector(resolver, new SelfAddresses(), transport, Duration.ofSeconds(1), true);
    ProxyEvents recording = new ProxyEvents() {
      @Override
      public void access(AccessRecord record) {
        access.add(record);
      }

      @Override
      public void circumvention(CircumventionRecord record, Durable durable) {
        durable.hold();
        events.add(record);
        if (holdEvents) {
          unwritten.add(durable);
        } else {
          durable.written(true); // "on disk" at once: the test looks at order, not at a disk
        }
      }
    };
    px = new ProxyContext(config, engine, connector, recording, new Neighbours(dir.resolve("no-arp"), Runnable::run),
        Duration.ofSeconds(10), blockPage);
  }

  /** An EmbeddedChannel whose peer is {@code ip}, admitted as the listener would admit it. */
  Device device(String ip, ListenerKind listener, ChannelHandler... handlers) throws Exception {
    return new Device(this, ip, listener, handlers);
  }

  static final class Device extends EmbeddedChannel {
    private InetSocketAddress remote;

    Device(Fixture f, String ip, ListenerKind listener, ChannelHandler... handlers) throws Exception {
      super(false, false);
      remote = new InetSocketAddress(InetAddress.getByName(ip), 50_000);
      register();
      freezeTime();
      // As the listener's initializer does: admit, then build the pipeline; then the handlers see it go active.
      if (!f.px.admit(this, listener)) {
        throw new AssertionError("the fixture's device was refused by the limits");
      }
      pipeline().addLast(handlers);
      pipeline().fireChannelActive();
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return remote;
    }
  }
}
