package org.schoolgate.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import org.schoolgate.net.HostsFile;
import org.schoolgate.policy.Access;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.PolicyEngine;
import org.schoolgate.values.Cidr;
import org.schoolgate.values.HostSyntax;

/**
 * What the guard does with one query, on the event loop it arrived on, in this order: a client
 * outside {@code networks} and {@code admin.allow_from} is REFUSED; one past its 200 queries a
 * second is dropped; a malformed packet is dropped (FORMERR when its header can be read); then
 * the {@link DnsVerdict} says canary, blocked, safe search or forward; forwarded names come from
 * the cache or the upstreams, with ECH stripped. Nothing here waits: upstream answers arrive as
 * futures on the same loop.
 */
final class Guard {
  /** Where an answer goes: the UDP sender, or the TCP connection it came on. */
  interface Reply {
    /** Sends {@code answer} and releases it. */
    void send(ByteBuf answer);
  }

  private final java.util.List<Cidr> clients;
  private final PolicyEngine engine;
  private final HostsFile hosts;
  private final Upstreams upstreams;
  private final DnsCache cache;
  private final QueryRate rate;
  private final DnsStats stats;
  private final DnsSink sink;
  private final boolean stripEch;
  private final boolean logQueries;
  private final Clock clock;
  /** One {@code dns} event per device, name and minute: the keys of the last two minutes. */
  private final Cache<String, Boolean> recorded = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(2)).maximumSize(100_000).build();

  Guard(java.util.List<Cidr> clients, PolicyEngine engine, HostsFile hosts, Upstreams upstreams, DnsCache cache,
        DnsStats stats, DnsSink sink, boolean stripEch, boolean logQueries, int perClient, Clock clock) {
    this.clients = clients;
    this.engine = engine;
    this.hosts = hosts;
    this.upstreams = upstreams;
    this.cache = cache;
    this.rate = new QueryRate(clock, perClient);
    this.stats = stats;
    this.sink = sink;
    this.stripEch = stripEch;
    this.logQueries = logQueries;
    this.clock = clock;
  }

  /**
   * @param alloc where a cached answer is written (the channel's allocator: pooled, direct), so that
   *              a hit is one copy of its bytes into the buffer that is sent
   */
  void handle(EventLoop loop, ByteBufAllocator alloc, InetAddress client, byte[] packet, boolean tcp, Reply reply) {
    if (!answers(client)) {
      stats.count(Outcome.REFUSED);
      Query q = Query.parse(packet);
      if (q != null) {
        reply.send(Unpooled.wrappedBuffer(Synth.code(q, Wire.REFUSED))); // no bigger than the query: nothing to amplify
      }
      return;
    }
    if (!rate.take(client)) {
      stats.count(Outcome.RATE_LIMITED);
      return;
    }
    Query q = Query.parse(packet);
    if (q == null) {
      stats.count(Outcome.MALFORMED);
      if (packet.length >= Wire.HEADER && (Wire.flags(packet) & Wire.QR) == 0) {
        reply.send(Unpooled.wrappedBuffer(Synth.formErr(packet))); // never answer an answer: two resolvers could bounce it for ever
      }
      return;
    }
    // the cache first: a hit knows its name as text, so the hot path does not write it out again
    DnsCache.Entry hit = cache.lookup(q);
    DnsVerdict verdict = verdict(client, q, hit == null ? q.name() : hit.name());
    if (verdict.kind() == DnsVerdict.Kind.FORWARD && hit != null && (tcp || hit.length() <= q.udpSize())) {
      ByteBuf out = alloc.directBuffer(hit.length());
      cache.write(hit, q, out);
      stats.count(Outcome.CACHED);
      if (logQueries) {
        sink.query(client, q.name(), QueryLine.type(q.type()), Outcome.CACHED.label, QueryLine.answer(ByteBufUtil.getBytes(out)));
      }
      reply.send(out);
      return;
    }
    switch (verdict.kind()) {
      case CANARY -> send(client, q, Synth.code(q, Wire.NXDOMAIN), tcp, reply, Outcome.CANARY);
      case BLOCKED -> send(client, q, Synth.code(q, Wire.NXDOMAIN), tcp, reply, Outcome.BLOCKED);
      case SAFE_SEARCH -> safeSearch(loop, client, q, verdict.frontEnd(), tcp, reply);
      case FORWARD -> forward(loop, q, hit, answer -> {
        if (answer == null) {
          send(client, q, Synth.code(q, Wire.SERVFAIL), tcp, reply, Outcome.SERVFAIL);
        } else {
          send(client, q, answer.message, tcp, reply, answer.outcome);
        }
      });
      default -> throw new IllegalStateException(verdict.kind().name());
    }
  }

  private boolean answers(InetAddress client) {
    for (Cidr c : clients) {
      if (c.contains(client)) {
        return true;
      }
    }
    return false;
  }

  /** Canaries for every class and client; the policy only for Internet-class names it can read. */
  private DnsVerdict verdict(InetAddress client, Query q, String name) {
    if (DnsVerdict.canary(name)) {
      return DnsVerdict.CANARY;
    }
    String host = q.dnsClass() == 1 ? HostSyntax.normalise(name) : null;
    if (host == null || host.isEmpty()) {
      return DnsVerdict.FORWARD;
    }
    Decision d = engine.decide(client, host, 443, Access.TLS);
    DnsVerdict v = DnsVerdict.of(host, d);
    if (v.kind() == DnsVerdict.Kind.BLOCKED) {
      long minute = clock.millis() / 60_000;
      String key = client.getHostAddress() + ' ' + host + ' ' + minute;
      if (recorded.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
        sink.attempt(client, d.group(), host, "looked up through the DNS guard (" + d.rule() + ")");
      }
    }
    return v;
  }

  private record Answer(byte[] message, Outcome outcome) {}

  /**
   * From the cache ({@code hit}, the entry already looked up for {@code q}, or null), else the
   * upstreams (ECH stripped, then kept); null to {@code then} when none answered.
   */
  private void forward(EventLoop loop, Query q, DnsCache.Entry hit, java.util.function.Consumer<Answer> then) {
    if (hit != null) {
      then.accept(new Answer(cache.copy(hit, q), Outcome.CACHED));
      return;
    }
    upstreams.ask(loop, q).addListener(f -> {
      byte[] answer = f.isSuccess() ? (byte[]) f.getNow() : null;
      Records r = answer == null ? null : Records.of(answer);
      if (r == null) {
        then.accept(null); // silence, or an answer that cannot be read: SERVFAIL
        return;
      }
      Outcome outcome = Outcome.FORWARDED;
      if (stripEch) {
        byte[] stripped = EchStripper.strip(answer, r);
        if (stripped != null) {
          answer = stripped;
          r = Records.of(stripped);
          outcome = Outcome.ECH_STRIPPED;
        }
      }
      cache.put(q, answer.clone(), r);
      Wire.put16(answer, 0, q.id());
      then.accept(new Answer(answer, outcome));
    });
  }

  /** The CNAME to the front end, then its addresses: from the hosts file, else asked upstream (through the cache). */
  private void safeSearch(EventLoop loop, InetAddress client, Query q, String frontEnd, boolean tcp, Reply reply) {
    InetAddress fixed = hosts.get(frontEnd);
    if (fixed != null) {
      send(client, q, Synth.cname(q, frontEnd, fixed), tcp, reply, Outcome.SAFE_SEARCH);
      return;
    }
    Query sub = Query.parse(Synth.question(frontEnd, q.type(), q.dnsClass()));
    if (sub == null) {
      send(client, q, Synth.code(q, Wire.SERVFAIL), tcp, reply, Outcome.SERVFAIL);
      return;
    }
    forward(loop, sub, cache.lookup(sub), answer -> send(client, q, Synth.cname(q, frontEnd, answer == null ? null : answer.message), tcp,
        reply, answer == null ? Outcome.SERVFAIL : Outcome.SAFE_SEARCH));
  }

  private void send(InetAddress client, Query q, byte[] answer, boolean tcp, Reply reply, Outcome outcome) {
    byte[] out = !tcp && answer.length > q.udpSize() ? Synth.truncated(q, answer) : answer;
    stats.count(outcome);
    if (logQueries) {
      sink.query(client, q.name(), QueryLine.type(q.type()), outcome.label, QueryLine.answer(out));
    }
    reply.send(Unpooled.wrappedBuffer(out));
  }
}
