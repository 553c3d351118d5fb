#!/usr/bin/env python3
"""Hold many idle keep-alive HTTP connections through a proxy (loopback only).

usage: idle.py --proxy 127.0.0.1:19128 --count 5000 --url http://127.0.0.1:18085/small --hold 10

Opens COUNT connections to the proxy, sends one GET (absolute form) on each and reads its
response, so every connection has been through a whole exchange and now waits for its next
request, as a browser's pooled connections do; prints "idle N" when all are, holds them for
HOLD seconds, then closes them. Exit 0 only if every exchange got a 200.
Bounded: COUNT <= 20000, every step has a timeout.
"""
import argparse
import asyncio
import resource
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--proxy", default="127.0.0.1:19128")
ap.add_argument("--count", type=int, default=5000)
ap.add_argument("--url", default="http://127.0.0.1:18085/small")
ap.add_argument("--hold", type=float, default=10)
a = ap.parse_args()
host, port = a.proxy.rsplit(":", 1)
if not host.startswith("127.") or not a.url.startswith("http://127.") or not 1 <= a.count <= 20000 or not 0 <= a.hold <= 300:
    sys.exit("loopback only, --count 1..20000, --hold 0..300")
if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < a.count + 100:
    sys.exit("raise ulimit -n")
target = a.url.split("/")[2]
request = f"GET {a.url} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode()


async def one(sem):
    async with sem:
        r, w = await asyncio.wait_for(asyncio.open_connection(host, int(port)), 10)
        w.write(request)
        await w.drain()
        head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 10)
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await asyncio.wait_for(r.readexactly(length), 10)
        return head.startswith(b"HTTP/1.1 200"), w


async def main():
    sem = asyncio.Semaphore(200)
    results = await asyncio.gather(*(one(sem) for _ in range(a.count)), return_exceptions=True)
    ok = [x for x in results if not isinstance(x, BaseException) and x[0]]
    print(f"idle {len(ok)} of {a.count}", flush=True)
    await asyncio.sleep(a.hold)
    for x in results:
        if not isinstance(x, BaseException):
            x[1].close()
    return len(ok) == a.count

sys.exit(0 if asyncio.run(main()) else 1)
