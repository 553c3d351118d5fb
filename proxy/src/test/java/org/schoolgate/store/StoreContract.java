package org.schoolgate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} does, whatever keeps the data. An implementation's test extends this
 * and says how to open a store on fresh, empty storage for each test ({@link #open()} may be
 * called more than once in a test: each call is another handle on the same storage, as another
 * process or gateway would have).
 */
public abstract class StoreContract {
  private final List<Store> opened = new ArrayList<>();
  protected Store store;

  /**
   * A new handle on this test's storage (empty at the start of each test), for a gateway of
   * {@code site}.
   */
  protected abstract Store open(String site) throws Exception;

  protected Store open() throws Exception {
    return open("site-a");
  }

  private Store handle() throws Exception {
    return handle("site-a");
  }

  private Store handle(String site) throws Exception {
    Store s = open(site);
    opened.add(s);
    return s;
  }

  @BeforeEach
  void openStore() throws Exception {
    store = handle();
  }

  @AfterEach
  void closeStores() {
    opened.forEach(Store::close);
  }

  static Rows.Block block(String domain, String reason) {
    return new Rows.Block(domain, reason, "head", "2026-11-23T11:00:00Z", null);
  }

  static Rows.Event event(String ts, String client, String kind) {
    return new Rows.Event(0, ts, client, "pupils", kind, "example.org", "detail", null);
  }

  static Rows.User user(String name, String role, String createdAt) {
    return new Rows.User(name, role, new byte[] {1, 2, 3}, new byte[] {4, 5, 6}, 1000, createdAt);
  }

  @Test
  void whatACompletedFutureWroteIsSeenByAnotherHandle() throws Exception {
    store.transaction(ops -> ops.rules().addBlock(block("example.com", "why"))).join();
    Store other = handle();
    assertEquals(List.of("example.com"), other.blocks().join().stream().map(Rows.Block::domain).toList());
  }

  @Test
  void transactionsRunInTheOrderSubmitted() {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String target = "t" + i;
      futures.add(store.transaction(ops -> {
        ops.audit().append("2026-11-23T11:00:00Z", "head", "block", target, "why");
        return null;
      }));
    }
    futures.forEach(CompletableFuture::join);
    List<String> targets = store.audit(100).join().stream().map(Rows.Audit::target).toList();
    assertEquals(50, targets.size());
    for (int i = 0; i < 50; i++) {
      assertEquals("t" + (49 - i), targets.get(i), "newest first, in submission order");
    }
  }

  @Test
  void aFailedTransactionKeepsNothingAndFailsWithItsOwnException() {
    IllegalStateException boom = new IllegalStateException("boom");
    CompletionException e = assertThrows(CompletionException.class, () -> store.transaction(ops -> {
      ops.rules().addBlock(block("example.com", "why"));
      ops.audit().append("2026-11-23T11:00:00Z", "head", "block", "example.com", "why");
      throw boom;
    }).join());
    assertSame(boom, e.getCause());
    assertTrue(store.blocks().join().isEmpty());
    assertTrue(store.audit(10).join().isEmpty());
    store.transaction(ops -> ops.rules().addBlock(block("example.net", "later"))).join();
    assertEquals(1, store.blocks().join().size(), "the next transaction commits only its own work");
  }

  @Test
  void addingABlockTwiceSaysItIsAlreadyThereAndKeepsTheFirst() {
    Store.Added first = store.transaction(ops -> ops.rules().addBlock(block("example.com", "first"))).join();
    Store.Added second = store.transaction(ops -> ops.rules().addBlock(block("example.com", "second"))).join();
    assertTrue(first.created());
    assertFalse(second.created());
    assertEquals("first", second.row().reason());
    assertEquals(List.of(first.row()), store.blocks().join());
  }

  @Test
  void aBlockOrAllowGivenToOneSiteKeepsItsSite() {
    store.transaction(ops -> {
      ops.rules().addBlock(new Rows.Block("games.example", "school-b only", "head", "2026-11-23T11:00:00Z", null, "school-b"));
      ops.rules().addAllow(new Rows.Block("wiki.example", "everywhere", "head", "2026-11-23T11:00:00Z", null));
      return null;
    }).join();
    Rows.Block b = store.blocks().join().get(0);
    assertEquals("school-b", b.site());
    assertTrue(b.appliesAt("school-b"));
    assertFalse(b.appliesAt("school-a"));
    Rows.Block allow = store.transaction(ops -> ops.rules().allows()).join().get(0);
    assertEquals(null, allow.site());
    assertTrue(allow.appliesAt("school-a"), "no site: every school");
  }

  @Test
  void blocksAndAllowsAreSeparateAndListedByDomain() {
    store.transaction(ops -> {
      ops.rules().addBlock(block("zeta.example", "z"));
      ops.rules().addBlock(block("alpha.example", "a"));
      ops.rules().addAllow(new Rows.Block("wiki.example", "homework", "head", "2026-11-23T11:00:00Z", 7L));
      return null;
    }).join();
    assertEquals(List.of("alpha.example", "zeta.example"), store.blocks().join().stream().map(Rows.Block::domain).toList());
    List<Rows.Block> allows = store.transaction(ops -> ops.rules().allows()).join();
    assertEquals(1, allows.size());
    assertEquals(7L, allows.get(0).reportId());
    assertTrue(store.transaction(ops -> ops.rules().removeBlock("alpha.example")).join());
    assertFalse(store.transaction(ops -> ops.rules().removeBlock("alpha.example")).join());
    assertFalse(store.transaction(ops -> ops.rules().removeBlock("wiki.example")).join(), "an allow is not a block");
    assertEquals(1, store.transaction(ops -> ops.rules().allows()).join().size());
  }

  @Test
  void aReportIsFiledOpenAndDecidedOnce() {
    Rows.Report filed = store.transaction(ops -> ops.reports().file("https://www.bad.example/x", "bad.example", "inappropriate",
        "seen in Y7", "ms.jones", "2026-11-23T11:00:00Z")).join();
    Rows.Report second = store.transaction(ops -> ops.reports().file("https://wiki.example/", "wiki.example", "unblock", "",
        "ms.jones", "2026-11-23T11:01:00Z")).join();
    assertEquals("open", filed.status());
    assertTrue(second.id() > filed.id());
    assertNull(filed.decidedBy());
    assertEquals(List.of(second.id(), filed.id()), store.reports("open").join().stream().map(Rows.Report::id).toList());
    store.transaction(ops -> {
      ops.reports().decide(filed.id(), "approved", "head", "2026-11-23T11:05:00Z", "violent");
      return null;
    }).join();
    Rows.Report decided = store.transaction(ops -> ops.reports().get(filed.id())).join();
    assertEquals("approved", decided.status());
    assertEquals("head", decided.decidedBy());
    assertEquals("2026-11-23T11:05:00Z", decided.decidedAt());
    assertEquals("violent", decided.decisionReason());
    assertEquals("seen in Y7", decided.note());
    assertEquals(List.of(second.id()), store.reports("open").join().stream().map(Rows.Report::id).toList());
    assertEquals(List.of(filed.id()), store.reports("approved").join().stream().map(Rows.Report::id).toList());
    assertEquals(2, store.reports(null).join().size());
    assertNull(store.transaction(ops -> ops.reports().get(99_999)).join());
  }

  @Test
  void decidedReportsAreEveryReportNotOpenNewestFirst() {
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      ids.add(store.transaction(ops -> ops.reports().file("https://r" + n + ".example/", "r" + n + ".example", "unblock", "",
          "ms.jones", "2026-11-23T11:0" + n + ":00Z")).join().id());
    }
    store.transaction(ops -> {
      ops.reports().decide(ids.get(0), "approved", "head", "2026-11-23T12:00:00Z", "fine");
      ops.reports().decide(ids.get(2), "dismissed", "head", "2026-11-23T12:01:00Z", "not needed");
      return null;
    }).join();
    assertEquals(List.of(ids.get(2), ids.get(0)), store.reportPage(new Store.ReportQuery(Store.DECIDED, null, null, 0, 10, null, null))
        .join().stream().map(Rows.Report::id).toList());
    assertEquals(List.of(ids.get(0)), store.reportPage(new Store.ReportQuery(Store.DECIDED, null, null, ids.get(2), 10, null, null))
        .join().stream().map(Rows.Report::id).toList(), "the next page, below the last id shown");
  }

  @Test
  void overridesAreAddedListedAndEndedEarlyOnce() {
    Rows.OverrideRow added = store.transaction(ops -> ops.rules().addOverride(new Rows.OverrideRow(0, null, "127.0.10.77", List.of(),
        List.of("youtube.com", "vimeo.com"), "2026-11-23T12:00:00Z", "one pupil", "head", "2026-11-23T11:00:00Z"))).join();
    assertTrue(added.id() > 0);
    assertEquals(List.of("youtube.com", "vimeo.com"), added.domains());
    assertEquals(List.of(), added.categories());
    assertEquals(List.of(added), store.overrides().join());
    assertTrue(store.transaction(ops -> ops.rules().endOverride(added.id(), "2026-11-23T11:30:00Z")).join());
    assertFalse(store.transaction(ops -> ops.rules().endOverride(added.id(), "2026-11-23T11:31:00Z")).join());
    assertTrue(store.overrides().join().isEmpty());
  }

  @Test
  void theAuditIsNewestFirstAndLimited() {
    store.transaction(ops -> {
      for (int i = 0; i < 5; i++) {
        ops.audit().append("2026-11-23T11:0" + i + ":00Z", "head", "block", "site" + i + ".example", "reason " + i);
      }
      return null;
    }).join();
    List<Rows.Audit> three = store.audit(3).join();
    assertEquals(List.of("site4.example", "site3.example", "site2.example"), three.stream().map(Rows.Audit::target).toList());
    assertEquals("reason 4", three.get(0).reason());
    assertEquals("head", three.get(0).user());
    assertEquals("2026-11-23T11:04:00Z", three.get(0).ts());
  }

  @Test
  void eventsAreFilteredByKindClientAndSinceNewestFirstAndLimited() {
    store.recordEvents(List.of(
        event("2026-11-23T10:00:00Z", "127.0.10.1", "connect-port"),
        event("2026-11-23T10:01:00Z", "127.0.10.2", "no-sni"),
        event("2026-11-23T10:02:00Z", "127.0.10.1", "no-sni"),
        event("2026-11-23T10:02:00Z", "127.0.10.1", "ech"),
        event("2026-11-23T10:03:00Z", "127.0.10.2", "connect-port")), List.of()).join();
    assertEquals(List.of("connect-port", "ech", "no-sni", "no-sni", "connect-port"),
        kinds(new Store.EventQuery(null, null, null, 100)), "by time, then the later recorded first");
    assertEquals(List.of("ech", "no-sni", "connect-port"), kinds(new Store.EventQuery(null, "127.0.10.1", null, 100)));
    assertEquals(List.of("no-sni", "no-sni"), kinds(new Store.EventQuery("no-sni", null, null, 100)));
    assertEquals(List.of("no-sni"), kinds(new Store.EventQuery("no-sni", "127.0.10.1", null, 100)));
    assertEquals(List.of("connect-port", "ech", "no-sni"), kinds(new Store.EventQuery(null, null, "2026-11-23T10:02:00Z", 100)),
        "since is inclusive");
    assertEquals(List.of("connect-port", "ech"), kinds(Store.EventQuery.latest(2)));
    Rows.Event newest = store.events(Store.EventQuery.latest(1)).join().get(0);
    assertEquals("127.0.10.2", newest.client());
    assertEquals("pupils", newest.group());
    assertEquals("example.org", newest.host());
    assertEquals("detail", newest.detail());
  }

  @Test
  void eventsAreCountedPerDayAndKindFromADay() {
    store.recordEvents(List.of(
        event("2026-11-21T23:59:00Z", "127.0.10.1", "no-sni"),
        event("2026-11-22T08:00:00Z", "127.0.10.1", "no-sni"),
        event("2026-11-22T09:00:00Z", "127.0.10.2", "no-sni"),
        event("2026-11-22T09:30:00Z", "127.0.10.2", "ech"),
        event("2026-11-23T10:00:00Z", "127.0.10.1", "no-sni")), List.of()).join();
    assertEquals(List.of(new Rows.DayCount("2026-11-22", "ech", 1), new Rows.DayCount("2026-11-22", "no-sni", 2),
            new Rows.DayCount("2026-11-23", "no-sni", 1)),
        store.eventsPerDay(List.of("ech", "no-sni"), java.time.LocalDate.parse("2026-11-22"), 2).join());
  }

  private List<String> kinds(Store.EventQuery q) {
    return store.events(q).join().stream().map(Rows.Event::kind).toList();
  }

  @Test
  void deletingEventsBeforeACutoffKeepsThoseAtOrAfterIt() {
    store.recordEvents(List.of(
        event("2026-08-01T10:00:00Z", "127.0.10.1", "connect-port"),
        event("2026-08-02T10:00:00Z", "127.0.10.1", "connect-port"),
        event("2026-11-23T10:00:00Z", "127.0.10.1", "no-sni")), List.of()).join();
    assertEquals(0, store.deleteEventsBefore("2026-08-01T10:00:00Z").join());
    assertEquals(2, store.deleteEventsBefore("2026-11-23T10:00:00Z").join());
    assertEquals(List.of("no-sni"), kinds(Store.EventQuery.latest(10)));
  }

  @Test
  void aSupervisedDeviceIsUpdatedInPlaceAndReleased() {
    Rows.Device first = new Rows.Device("127.0.10.5", "2026-11-23T10:05:00Z", 5, List.of("connect-port"), "lockdown", null);
    store.recordEvents(List.of(event("2026-11-23T10:05:00Z", "127.0.10.5", "supervised")), List.of(first)).join();
    assertEquals(List.of(first), store.devices().join());
    assertEquals(1, store.events(Store.EventQuery.latest(10)).join().size(), "the event and the device together");
    Rows.Device later = new Rows.Device("127.0.10.5", "2026-11-23T10:09:00Z", 6, List.of("connect-port", "no-sni"), "flag",
        "aa:bb:cc:dd:ee:ff");
    store.transaction(ops -> {
      ops.supervision().putDevice(later);
      return null;
    }).join();
    Rows.Device stored = store.devices().join().get(0);
    assertEquals(6, stored.attempts());
    assertEquals(List.of("connect-port", "no-sni"), stored.kinds());
    assertEquals("aa:bb:cc:dd:ee:ff", stored.mac());
    assertEquals("2026-11-23T10:05:00Z", stored.since(), "still supervised since the first time");
    assertEquals("lockdown", stored.mode());
    assertTrue(store.transaction(ops -> ops.supervision().removeDevice("127.0.10.5")).join());
    assertFalse(store.transaction(ops -> ops.supervision().removeDevice("127.0.10.5")).join());
    assertTrue(store.devices().join().isEmpty());
  }

  @Test
  void devicesAreListedNewestSupervisionFirst() {
    store.recordEvents(List.of(), List.of(
        new Rows.Device("127.0.10.5", "2026-11-23T10:05:00Z", 5, List.of("ech"), "lockdown", null),
        new Rows.Device("127.0.10.6", "2026-11-23T10:07:00Z", 5, List.of("ech"), "lockdown", null))).join();
    assertEquals(List.of("127.0.10.6", "127.0.10.5"), store.devices().join().stream().map(Rows.Device::address).toList());
  }

  @Test
  void reportsEventsAndAuditCarryTheSiteThatWroteThemAndAreFilteredByIt() throws Exception {
    Store other = handle("site-b");
    for (Store s : List.of(store, other)) {
      s.transaction(ops -> {
        ops.reports().file("https://bad.example/", "bad.example", "inappropriate", "", "head", "2026-11-23T11:00:00Z");
        ops.audit().append("2026-11-23T11:00:00Z", "head", "report-inappropriate", "bad.example", "seen");
        ops.events().record(List.of(event("2026-11-23T10:00:00Z", "127.0.10.1", "no-sni")));
        return null;
      }).join();
    }
    assertEquals(List.of("site-b", "site-a"), store.reports(null).join().stream().map(Rows.Report::site).toList());
    assertEquals(List.of("site-b"), store.reports("open", "site-b").join().stream().map(Rows.Report::site).toList());
    assertEquals(List.of("site-b", "site-a"), store.audit(10).join().stream().map(Rows.Audit::site).toList());
    assertEquals(List.of("site-a"), other.audit(10, "site-a").join().stream().map(Rows.Audit::site).toList());
    assertEquals(List.of("site-b", "site-a"), store.events(Store.EventQuery.latest(10)).join().stream()
        .map(Rows.Event::site).toList());
    assertEquals(List.of("site-a"), store.events(new Store.EventQuery("no-sni", null, null, 10, "site-a")).join().stream()
        .map(Rows.Event::site).toList());
    assertTrue(store.events(new Store.EventQuery(null, null, null, 10, "site-c")).join().isEmpty());
  }

  @Test
  void aUserIsAddedFoundUpdatedListedAndRemoved() {
    store.transaction(ops -> {
      ops.users().put(user("zoe", "staff", "2026-11-02T08:00:00Z"));
      ops.users().put(user("head", "head", "2026-11-02T08:01:00Z"));
      return null;
    }).join();
    assertEquals(List.of("head", "zoe"), store.users().join().stream().map(Rows.User::name).toList());
    Rows.User zoe = store.user("zoe").join();
    assertEquals("staff", zoe.role());
    assertEquals(1000, zoe.iterations());
    assertEquals(List.of(4, 5, 6), List.of((int) zoe.hash()[0], (int) zoe.hash()[1], (int) zoe.hash()[2]));
    store.transaction(ops -> {
      ops.users().put(new Rows.User("zoe", "netmgr", new byte[] {9}, new byte[] {8}, 2000, "2026-11-23T08:00:00Z"));
      return null;
    }).join();
    Rows.User promoted = store.user("zoe").join();
    assertEquals("netmgr", promoted.role());
    assertEquals(2000, promoted.iterations());
    assertEquals(8, promoted.hash()[0]);
    assertEquals("2026-11-02T08:00:00Z", promoted.createdAt(), "created when first added");
    assertTrue(store.transaction(ops -> ops.users().remove("zoe")).join());
    assertFalse(store.transaction(ops -> ops.users().remove("zoe")).join());
    assertNull(store.user("zoe").join());
    assertEquals(List.of("head"), store.users().join().stream().map(Rows.User::name).toList());
  }

  static Rows.Alert alert(String uid, String device, String kind, String ts) {
    return new Rows.Alert(0, uid, kind, device, "aa:bb:cc:dd:ee:01", "Y5 iPad 12", "pupils", ts, ts, 1, "what happened",
        "R-1", "http://127.0.0.1:8088/alerts", "pending", 0, 0, null, null, null, null);
  }

  @Test
  void anAlertIsAddedFoundByDeviceAndKindAndFolded() {
    Rows.Alert a = store.transaction(ops -> ops.alerts().add(alert("u-1", "127.0.10.5", "category", "2026-11-23T10:00:00Z")))
        .join();
    assertTrue(a.id() > 0);
    assertEquals("Y5 iPad 12", a.name());
    store.transaction(ops -> ops.alerts().add(alert("u-2", "127.0.10.5", "supervised", "2026-11-23T10:01:00Z"))).join();
    assertEquals("u-1", store.transaction(ops -> ops.alerts().latest("127.0.10.5", "category", "")).join().uid());
    assertNull(store.transaction(ops -> ops.alerts().latest("127.0.10.6", "category", "")).join());
    store.transaction(ops -> {
      ops.alerts().fold(a.id(), "2026-11-23T10:05:00Z");
      ops.alerts().fold(a.id(), "2026-11-23T10:06:00Z");
      return null;
    }).join();
    Rows.Alert folded = store.transaction(ops -> ops.alerts().latest("127.0.10.5", "category", "")).join();
    assertEquals(3, folded.count());
    assertEquals("2026-11-23T10:06:00Z", folded.lastTs());
    assertEquals("2026-11-23T10:00:00Z", folded.ts());
  }

  @Test
  void anAlertIsFoundByItsFoldKeySoAnotherSiteIsAnotherAlert() {
    store.transaction(ops -> ops.alerts().add(alert("u-1", "127.0.10.5", "category", "2026-11-23T10:00:00Z"), "www.facebook.com"))
        .join();
    store.transaction(ops -> ops.alerts().add(alert("u-2", "127.0.10.5", "category", "2026-11-23T10:01:00Z"), "m.facebook.com"))
        .join();
    assertEquals("u-1", store.transaction(ops -> ops.alerts().latest("127.0.10.5", "category", "www.facebook.com")).join().uid());
    assertEquals("u-2", store.transaction(ops -> ops.alerts().latest("127.0.10.5", "category", "m.facebook.com")).join().uid());
    assertNull(store.transaction(ops -> ops.alerts().latest("127.0.10.5", "category", "x.com")).join());
    assertEquals(2, store.transaction(ops -> ops.alerts().countSince("category", "2026-11-23T10:00:00Z", "summary")).join());
    assertEquals(1, store.transaction(ops -> ops.alerts().countSince("category", "2026-11-23T10:00:30Z", "summary")).join());
    assertEquals(Instant.EPOCH, store.transaction(ops -> ops.alerts().nextDue()).join());
    Rows.Alert a = store.transaction(ops -> ops.alerts().latest("127.0.10.5", "category", "m.facebook.com")).join();
    store.transaction(ops -> {
      ops.alerts().fold(a.id(), "2026-11-23T10:02:00Z", "rewritten");
      return null;
    }).join();
    Rows.Alert folded = store.transaction(ops -> ops.alerts().latest("127.0.10.5", "category", "m.facebook.com")).join();
    assertEquals("rewritten", folded.what());
    assertEquals(2, folded.count());
  }

  @Test
  void anAlertNamesTheSiteOfTheGatewayThatRaisedItAndIsFilteredByIt() throws Exception {
    Store other = handle("site-b");
    store.transaction(ops -> ops.alerts().add(alert("u-a", "127.0.10.5", "report", "2026-11-23T10:00:00Z"))).join();
    other.transaction(ops -> ops.alerts().add(alert("u-b", "127.0.10.6", "report", "2026-11-23T10:01:00Z"))).join();
    assertEquals(List.of("site-b", "site-a"), store.alerts(null, null, 10).join().stream().map(Rows.Alert::site).toList());
    assertEquals(List.of("u-b"), store.alerts(null, null, 10, "site-b").join().stream().map(Rows.Alert::uid).toList());
  }

  @Test
  void alertsAreListedNewestFirstWithinAPeriod() {
    store.transaction(ops -> {
      ops.alerts().add(alert("u-1", "127.0.10.5", "report", "2026-11-22T10:00:00Z"));
      ops.alerts().add(alert("u-2", "127.0.10.5", "report", "2026-11-23T10:00:00Z"));
      ops.alerts().add(alert("u-3", "127.0.10.5", "report", "2026-11-24T10:00:00Z"));
      return null;
    }).join();
    assertEquals(List.of("u-3", "u-2", "u-1"), store.alerts(null, null, 10).join().stream().map(Rows.Alert::uid).toList());
    assertEquals(List.of("u-3", "u-2"), store.alerts(null, null, 2).join().stream().map(Rows.Alert::uid).toList());
    assertEquals(List.of("u-2"), store.alerts("2026-11-23", "2026-11-24", 10).join().stream().map(Rows.Alert::uid).toList());
  }

  @Test
  void dueAlertsArePendingOnesWhoseTimeHasComeAndADeliveryIsRecorded() {
    Rows.Alert a = store.transaction(ops -> ops.alerts().add(alert("u-1", "127.0.10.5", "report", "2026-11-23T10:00:00Z")))
        .join();
    store.transaction(ops -> ops.alerts().add(alert("u-2", "127.0.10.6", "report", "2026-11-23T10:00:00Z"))).join();
    assertEquals(List.of("u-1", "u-2"), store.transaction(ops -> ops.alerts().due(Instant.ofEpochMilli(0), 10)).join().stream()
        .map(Rows.Alert::uid).toList());
    Rows.Alert tried = new Rows.Alert(a.id(), a.uid(), a.kind(), a.device(), a.mac(), a.name(), a.group(), a.ts(), a.lastTs(),
        a.count(), a.what(), a.ref(), a.link(), "pending", 1, 5_000, "2026-11-23T10:00:01Z", null, null, "connection refused");
    store.transaction(ops -> {
      ops.alerts().updateDelivery(tried);
      return null;
    }).join();
    assertEquals(List.of("u-2"), store.transaction(ops -> ops.alerts().due(Instant.ofEpochMilli(4_999), 10)).join().stream()
        .map(Rows.Alert::uid).toList());
    Rows.Alert back = store.transaction(ops -> ops.alerts().due(Instant.ofEpochMilli(5_000), 10)).join().get(0);
    assertEquals(1, back.attempts());
    assertEquals("connection refused", back.lastError());
    assertEquals("2026-11-23T10:00:01Z", back.mailedAt());
    Rows.Alert done = new Rows.Alert(a.id(), a.uid(), a.kind(), a.device(), a.mac(), a.name(), a.group(), a.ts(), a.lastTs(),
        a.count(), a.what(), a.ref(), a.link(), "delivered", 2, 5_000, "2026-11-23T10:00:01Z", "2026-11-23T10:00:05Z",
        "2026-11-23T10:00:05Z", null);
    store.transaction(ops -> {
      ops.alerts().updateDelivery(done);
      return null;
    }).join();
    assertEquals(List.of("u-2"), store.transaction(ops -> ops.alerts().due(Instant.ofEpochMilli(Long.MAX_VALUE), 10)).join().stream()
        .map(Rows.Alert::uid).toList());
    assertEquals("delivered", store.alerts(null, null, 10).join().get(1).state());
  }

  @Test
  void aDeviceIsNamedRenamedAndFoundByAddressOrMac() {
    store.transaction(ops -> {
      ops.supervision().nameDevice(new Rows.DeviceName("aa:bb:cc:dd:ee:01", "Y5 iPad 12", "head", "2026-11-23T10:00:00Z"));
      ops.supervision().nameDevice(new Rows.DeviceName("127.0.10.5", "Library PC 3", "head", "2026-11-23T10:00:00Z"));
      ops.supervision().nameDevice(new Rows.DeviceName("127.0.10.5", "Library PC 4", "netmgr", "2026-11-23T11:00:00Z"));
      return null;
    }).join();
    assertEquals("Library PC 4", store.transaction(ops -> ops.supervision().deviceName("127.0.10.5")).join().name());
    assertEquals("netmgr", store.transaction(ops -> ops.supervision().deviceName("127.0.10.5")).join().setBy());
    assertEquals("Y5 iPad 12", store.transaction(ops -> ops.supervision().deviceName("aa:bb:cc:dd:ee:01")).join().name());
    assertNull(store.transaction(ops -> ops.supervision().deviceName("127.0.10.6")).join());
    assertEquals(List.of("127.0.10.5", "aa:bb:cc:dd:ee:01"), store.deviceNames().join().stream()
        .map(Rows.DeviceName::device).toList());
  }

  @Test
  void countsAddUpPerDayGroupCategorySiteAndDecisionAndAreTotalledOverAPeriod() {
    store.transaction(ops -> {
      ops.counters().add(List.of(new Rows.Count("2026-11-22", "pupils", "social", "facebook.com", "block", 2),
          new Rows.Count("2026-11-23", "pupils", "social", "facebook.com", "block", 3),
          new Rows.Count("2026-11-23", "pupils", "social", "", "allow", 1),
          new Rows.Count("2026-11-24", "staff", "chat", "discord.com", "block", 4)));
      ops.counters().add(List.of(new Rows.Count("2026-11-23", "pupils", "social", "facebook.com", "block", 5)));
      return null;
    }).join();
    List<Rows.Count> totals = store.transaction(ops -> ops.counters().totals("2026-11-22", "2026-11-23")).join();
    assertEquals(2, totals.size(), totals::toString);
    assertTrue(totals.contains(new Rows.Count(null, "pupils", "social", "facebook.com", "block", 10)), totals::toString);
    assertTrue(totals.contains(new Rows.Count(null, "pupils", "social", "", "allow", 1)), totals::toString);
    assertEquals(1, store.transaction(ops -> ops.counters().totals("2026-11-24", "2026-11-24")).join().size());
    assertEquals(1, store.transaction(ops -> ops.counters().deleteBefore("2026-11-23")).join());
    assertEquals(List.of(new Rows.Count(null, "pupils", "social", "facebook.com", "block", 8)), store.transaction(
        ops -> ops.counters().totals("2026-11-01", "2026-11-23")).join().stream().filter(c -> c.decision().equals("block")).toList());
  }

  @Test
  void theAuditOfAPeriodIsOldestFirst() {
    store.transaction(ops -> {
      ops.audit().append("2026-11-22T10:00:00Z", "head", "block", "a.test", "r");
      ops.audit().append("2026-11-23T10:00:00Z", "head", "block", "b.test", "r");
      ops.audit().append("2026-11-23T11:00:00Z", "head", "block", "c.test", "r");
      ops.audit().append("2026-11-24T10:00:00Z", "head", "block", "d.test", "r");
      return null;
    }).join();
    assertEquals(List.of("b.test", "c.test"), store.transaction(ops -> ops.audit().between("2026-11-23", "2026-11-24", 10)).join()
        .stream().map(Rows.Audit::target).toList());
  }

  // ---- identities (SPEC 15) ----

  static Rows.Identity identity(String address, String user, String session, String nas, long updated) {
    return new Rows.Identity(null, address, user, session, nas, "2026-11-23T09:00:00Z", updated);
  }

  @Test
  void identitiesAreKeptPerSiteAndEndedBySessionEquipmentOrAge() throws Exception {
    store.transaction(ops -> {
      ops.identities().put(identity("10.10.0.5", "jo@staff.example", "s1", "10.0.0.2", 1000));
      ops.identities().put(identity("10.10.0.6", "sam@staff.example", "s2", "10.0.0.3", 2000));
      return null;
    }).join();
    Store other = handle("site-b");
    other.transaction(ops -> {
      ops.identities().put(identity("10.10.0.5", "ann@b.example", "b1", "10.0.0.2", 500));
      return null;
    }).join();
    assertEquals(List.of("jo@staff.example", "sam@staff.example"),
        store.transaction(ops -> ops.identities().here()).join().stream().map(Rows.Identity::user).toList());
    assertEquals("site-a", store.transaction(ops -> ops.identities().get("10.10.0.5")).join().site());
    assertEquals(3L, store.transaction(ops -> ops.identities().count()).join());
    assertEquals(List.of("site-a", "site-a", "site-b"),
        store.transaction(ops -> ops.identities().all(10, 0)).join().stream().map(Rows.Identity::site).toList());
    assertEquals(List.of("sam@staff.example"),
        store.transaction(ops -> ops.identities().all(1, 1)).join().stream().map(Rows.Identity::user).toList());

    assertFalse(store.transaction(ops -> ops.identities().end("10.10.0.5", "s0")).join(), "another session's Stop");
    store.transaction(ops -> {
      ops.identities().put(identity("10.10.0.5", "jo@staff.example", "s3", "10.0.0.2", 3000)); // a newer Start replaces
      return null;
    }).join();
    assertEquals("s3", store.transaction(ops -> ops.identities().get("10.10.0.5")).join().sessionId());
    assertEquals(1, store.transaction(ops -> ops.identities().endUpdatedBefore(Instant.ofEpochMilli(2500))).join(), "only sam's is older");
    assertEquals(1, store.transaction(ops -> ops.identities().endAllOf("10.0.0.2")).join(), "site-b's row is not ours");
    assertTrue(store.transaction(ops -> ops.identities().here()).join().isEmpty());
    assertNull(store.transaction(ops -> ops.identities().get("10.10.0.5")).join());
    assertEquals(1L, other.transaction(ops -> ops.identities().count()).join());
  }
}
