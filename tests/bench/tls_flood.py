#!/usr/bin/env python3
"""A blocked-TLS handshake flood from many managed addresses, and another pupil's plain HTTP
latency while it goes on (issue 21, item 5). Loopback only.

usage: tls_flood.py --tls 127.0.0.1:19330 --proxy 127.0.0.1:19328 --url http://www.bbc.co.uk:19380/small
                    --cafile CA.pem [--addresses 50] [--rate 20] [--seconds 10] [--procs 2]

ADDRESSES source addresses 127.0.40.1.. (a managed network) each open RATE blocked TLS connections
a second to --tls (SNI www.facebook.com), complete the handshake if they are let and close; one
pupil (127.0.10.9) sends plain GETs for URL through --proxy, one at a time, for the same SECONDS.
Prints: FLOOD attempted ok refused, and PUPIL requests failed p50 p90 p99 max (milliseconds).
Bounded: SECONDS <= 60, ADDRESSES <= 200, RATE <= 50, every socket has a 5 s timeout.
"""
import argparse
import multiprocessing
import socket
import ssl
import sys
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("--tls", default="127.0.0.1:19330")
ap.add_argument("--proxy", default="127.0.0.1:19328")
ap.add_argument("--url", required=True)
ap.add_argument("--cafile", required=True)
ap.add_argument("--addresses", type=int, default=50)
ap.add_argument("--rate", type=int, default=20)
ap.add_argument("--seconds", type=float, default=10)
ap.add_argument("--procs", type=int, default=2)
a = ap.parse_args()
if not (0 < a.seconds <= 60 and 1 <= a.addresses <= 200 and 1 <= a.rate <= 50 and 1 <= a.procs <= 8):
    sys.exit("--seconds up to 60, --addresses 1..200, --rate 1..50, --procs 1..8")
for t in (a.tls, a.proxy):
    if not t.startswith("127."):
        sys.exit("loopback targets only")


def hostport(s):
    h, p = s.rsplit(":", 1)
    return h, int(p)


def flood(addresses, out):
    ctx = ssl.create_default_context(cafile=a.cafile)
    counts = {"attempted": 0, "ok": 0, "refused": 0}
    lock = threading.Lock()
    end = time.monotonic() + a.seconds

    def one_address(src):
        interval = 1.0 / a.rate
        nxt = time.monotonic()
        while time.monotonic() < end:
            ok = False
            try:
                with socket.create_connection(hostport(a.tls), timeout=5, source_address=(src, 0)) as raw:
                    with ctx.wrap_socket(raw, server_hostname="www.facebook.com"):
                        ok = True
            except (OSError, ssl.SSLError):
                pass
            with lock:
                counts["attempted"] += 1
                counts["ok" if ok else "refused"] += 1
            nxt += interval
            delay = nxt - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                nxt = time.monotonic()

    threads = [threading.Thread(target=one_address, args=(s,)) for s in addresses]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(counts)


def pupil(out):
    h, p = hostport(a.proxy)
    req = ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (a.url, a.url.split("/")[2])).encode()
    times, failed = [], 0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            with socket.create_connection((h, p), timeout=5, source_address=("127.0.10.9", 0)) as s:
                s.sendall(req)
                data = b""
                while True:
                    b = s.recv(65536)
                    if not b:
                        break
                    data += b
            if data[:12] in (b"HTTP/1.1 200", b"HTTP/1.0 200"):
                times.append((time.monotonic() - t0) * 1000)
            else:
                failed += 1
        except OSError:
            failed += 1
        time.sleep(0.02)
    out.put(("pupil", times, failed))


if __name__ == "__main__":
    q = multiprocessing.Queue()
    addrs = ["127.0.40.%d" % (i + 1) for i in range(a.addresses)]
    procs = [multiprocessing.Process(target=flood, args=(addrs[i::a.procs], q)) for i in range(a.procs)]
    procs.append(multiprocessing.Process(target=pupil, args=(q,)))
    for p in procs:
        p.start()
    results = [q.get(timeout=a.seconds + 60) for _ in procs]
    for p in procs:
        p.join()
    total = {"attempted": 0, "ok": 0, "refused": 0}
    times, failed = [], 0
    for r in results:
        if isinstance(r, tuple):
            times, failed = r[1], r[2]
        else:
            for k in total:
                total[k] += r[k]
    times.sort()

    def pct(q):
        return times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")
    print("FLOOD attempted %d ok %d refused %d (%.0f a second)" % (total["attempted"], total["ok"], total["refused"],
                                                                  total["attempted"] / a.seconds))
    print("PUPIL requests %d failed %d p50 %.1f p90 %.1f p99 %.1f max %.1f ms" % (
        len(times), failed, pct(0.5), pct(0.9), pct(0.99), times[-1] if times else float("nan")))
