#!/usr/bin/env python3
"""Blocked TLS handshakes against schoolgate's HTTPS block page, as fast as they go (loopback only).

usage: tls_handshakes.py --target 127.0.0.1:19330 --cafile CA.pem [--sni www.facebook.com]
                         [--seconds 10] [--procs 2] [--fresh-names] [--no-nodelay]

Each of PROCS processes, for SECONDS, opens a connection from its own run of source addresses
(127.<1+p>.x.y, a new one each time, so no address comes near the 20-a-second handshake budget),
sets TCP_NODELAY as browsers and curl do (--no-nodelay: not), completes TLS with SNI (verified against CAFILE, ALPN h2 and http/1.1 offered), sends one
GET with Connection: close, and expects the 403 block page. With --fresh-names every connection
asks for a name never asked before (n<p>-<i>.<sni>), so every handshake waits for a new leaf.
Prints one line: RESULT handshakes ok failed seconds, and the failures by kind.
Bounded: SECONDS <= 60, PROCS <= 8, every socket has a 5 s timeout, the run ends by itself.
"""
import argparse
import collections
import multiprocessing
import socket
import ssl
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--target", default="127.0.0.1:19330")
ap.add_argument("--cafile", required=True)
ap.add_argument("--sni", default="www.facebook.com")
ap.add_argument("--seconds", type=float, default=10)
ap.add_argument("--procs", type=int, default=2)
ap.add_argument("--fresh-names", action="store_true")
ap.add_argument("--no-nodelay", dest="nodelay", action="store_false",
                help="leave Nagle on (browsers and curl set TCP_NODELAY; the default here too)")
a = ap.parse_args()
host, port = a.target.rsplit(":", 1)
if not host.startswith("127.") or not 0 < a.seconds <= 60 or not 1 <= a.procs <= 8:
    sys.exit("loopback target only, --seconds up to 60, --procs 1..8")


def worker(p, out):
    ctx = ssl.create_default_context(cafile=a.cafile)
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    ok, failed, i = 0, collections.Counter(), 0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        source = f"127.{1 + p}.{(i // 250) % 250}.{2 + i % 250}"
        name = f"n{p}-{i}.{a.sni}" if a.fresh_names else a.sni
        i += 1
        try:
            with socket.create_connection((host, int(port)), timeout=5, source_address=(source, 0)) as raw:
                if a.nodelay:
                    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with ctx.wrap_socket(raw, server_hostname=name) as s:
                    s.sendall(f"GET / HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n".encode())
                    data = b""
                    while len(data) < 12:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    if data.startswith(b"HTTP/1.1 403"):
                        ok += 1
                    else:
                        failed["not a 403: " + repr(data[:20])] += 1
        except (OSError, ssl.SSLError) as e:
            failed[type(e).__name__ + ": " + str(e)[:60]] += 1
    out.put((ok, failed))


if __name__ == "__main__":
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=worker, args=(p, q)) for p in range(a.procs)]
    start = time.monotonic()
    for pr in procs:
        pr.start()
    ok, failed = 0, collections.Counter()
    for _ in procs:
        o, f = q.get(timeout=a.seconds + 30)
        ok += o
        failed.update(f)
    for pr in procs:
        pr.join(timeout=10)
    secs = time.monotonic() - start
    print(f"RESULT {ok + sum(failed.values())} {ok} {sum(failed.values())} {secs:.2f}")
    for kind, n in failed.most_common(5):
        print(f"  failed {n}: {kind}")
