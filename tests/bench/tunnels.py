#!/usr/bin/env python3
"""Hold many CONNECT tunnels open through schoolgate at once (loopback only).

usage: tunnels.py [--proxy 127.0.0.1:19128] [--count 10000] [--batch 250] [--hold 10] [--pid PID]

Starts an echo server on 127.0.0.1:18090 in a child process, opens COUNT tunnels through the
proxy (CONNECT 127.0.0.1:18090, BATCH at a time), holds them all open for HOLD seconds, then
sends 16 bytes down every tunnel and expects them back, and closes everything. Prints how many
tunnels opened, how many echoed, every failure by kind, and (with --pid) the proxy's RSS and
open file descriptors while all tunnels were up. Exit 0 only if every tunnel worked.

Needs COUNT file descriptors in each of this process and the echo server, and 2 x COUNT (+ ~70)
in the proxy: raise `ulimit -n` for both (extras.sh raises it to the hard limit).
Bounded: COUNT <= 20000, every step has a timeout, the run ends by itself.
"""
import argparse
import asyncio
import collections
import os
import resource
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--proxy", default="127.0.0.1:19128")
ap.add_argument("--count", type=int, default=10000)
ap.add_argument("--batch", type=int, default=250)
ap.add_argument("--hold", type=float, default=10)
ap.add_argument("--port", type=int, default=18090)
ap.add_argument("--pid", type=int)
ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
a = ap.parse_args()
phost, pport = a.proxy.rsplit(":", 1)
if not phost.startswith("127.") or not 1 <= a.count <= 20000 or not 0 <= a.hold <= 300:
    sys.exit("loopback proxy only, --count 1..20000, --hold 0..300")
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < a.count + 100:
    sys.exit(f"ulimit -n is {soft}; need at least {a.count + 100}")

failures = collections.Counter()


def proc_stats(pid):
    if not pid:
        return ""
    try:
        rss = next(l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS:"))
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        return f"proxy RSS {int(rss) // 1024} MiB, {fds} open fds"
    except OSError as e:
        return f"(no stats: {e})"


async def echo(reader, writer):
    try:
        while data := await reader.read(4096):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def open_tunnel(i):
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection(phost, int(pport)), 10)
    except Exception as e:  # noqa: BLE001 - every failure is counted by kind
        failures[f"connect: {type(e).__name__}"] += 1
        return None
    try:
        w.write(f"CONNECT 127.0.0.1:{a.port} HTTP/1.1\r\nHost: 127.0.0.1:{a.port}\r\n\r\n".encode())
        head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 10)
        if not head.startswith(b"HTTP/1.1 200"):
            first = head.split(b"\r\n", 1)[0].decode(errors="replace")
            failures[f"status: {first}"] += 1
            w.close()
            return None
        return r, w
    except Exception as e:  # noqa: BLE001
        failures[f"CONNECT: {type(e).__name__}"] += 1
        w.close()
        return None


async def ping(t, i):
    r, w = t
    msg = f"{i:015d}\n".encode()
    try:
        w.write(msg)
        got = await asyncio.wait_for(r.readexactly(len(msg)), 20)
        if got != msg:
            failures["echo: wrong bytes"] += 1
            return False
        return True
    except Exception as e:  # noqa: BLE001
        failures[f"echo: {type(e).__name__}"] += 1
        return False


async def serve():
    server = await asyncio.start_server(echo, "127.0.0.1", a.port, backlog=4096)
    print("serving", flush=True)
    await asyncio.sleep(a.hold + 600)  # bounded: the parent terminates it long before
    server.close()


async def main():
    import subprocess
    child = subprocess.Popen([sys.executable, __file__, "--serve", "--port", str(a.port), "--hold", str(a.hold),
                              "--count", str(a.count), "--proxy", a.proxy], stdout=subprocess.PIPE, text=True)
    try:
        if child.stdout.readline().strip() != "serving":
            sys.exit("the echo server did not start")
        return await run()
    finally:
        child.terminate()
        child.wait(10)


async def run():
    tunnels = []
    t0 = time.monotonic()
    for start in range(0, a.count, a.batch):
        batch = await asyncio.gather(*(open_tunnel(i) for i in range(start, min(a.count, start + a.batch))))
        tunnels.extend(t for t in batch if t)
    opened = time.monotonic() - t0
    print(f"opened {len(tunnels)}/{a.count} tunnels in {opened:.1f} s; {proc_stats(a.pid)}", flush=True)
    await asyncio.sleep(a.hold)
    print(f"after holding {a.hold:.0f} s: {proc_stats(a.pid)}", flush=True)
    ok = 0
    for start in range(0, len(tunnels), 1000):
        res = await asyncio.gather(*(ping(t, start + i) for i, t in enumerate(tunnels[start:start + 1000])))
        ok += sum(res)
    print(f"echoed through {ok}/{len(tunnels)} tunnels", flush=True)
    for r, w in tunnels:
        w.close()
    await asyncio.sleep(1)
    for k, v in failures.most_common():
        print(f"  failure: {k}: {v}")
    return 0 if ok == a.count and not failures else 1


sys.exit(asyncio.run(serve() if a.serve else main()))
