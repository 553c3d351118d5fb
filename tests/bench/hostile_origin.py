#!/usr/bin/env python3
"""A deliberately strict, deliberately nasty HTTP/1.1 origin for tests/bench/hostile.sh.

It logs every request head it reads, and whether the request's body arrived complete, as one
JSON line per event to LOG (flushed at once), so the script can tell whether a request the
proxy should have refused ever reached an origin, and whether a broken body ever arrived whole.

Responses depend on the path (for attacks from the origin's side):
  /resp/conn-cl    Connection: content-length, then a body followed by a second, unasked-for response
  /resp/te-cl      Transfer-Encoding: chunked and Content-Length together
  /resp/bad-chunk  a chunked body whose second chunk size is "zz"
  /resp/101        101 Switching Protocols without having been asked, then raw bytes
  /resp/split      a complete response, then in the same write a second complete response
  anything else    200 with a short body naming the path

Usage: hostile_origin.py PORT LOG [SECONDS]   (exits after SECONDS, default 600)
"""
import json
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
LOG = open(sys.argv[2], "a", buffering=1)
LIFETIME = float(sys.argv[3]) if len(sys.argv) > 3 else 600.0
LOCK = threading.Lock()


def log(**kv):
    kv["t"] = round(time.time(), 3)
    with LOCK:
        LOG.write(json.dumps(kv) + "\n")


class Closed(Exception):
    pass


class Conn:
    def __init__(self, sock):
        self.s = sock
        self.buf = b""

    def fill(self):
        d = self.s.recv(65536)
        if not d:
            raise Closed()
        self.buf += d

    def line(self):
        while b"\n" not in self.buf:
            if len(self.buf) > 65536:
                raise Closed()
            self.fill()
        i = self.buf.index(b"\n")
        ln, self.buf = self.buf[:i + 1], self.buf[i + 1:]
        return ln

    def exact(self, n):
        while len(self.buf) < n:
            self.fill()
        d, self.buf = self.buf[:n], self.buf[n:]
        return d


def strict_crlf(ln):
    if not ln.endswith(b"\r\n"):
        raise ValueError("bare LF")
    return ln[:-2]


def handle(sock, peer):
    c = Conn(sock)
    try:
        while True:
            try:
                req = strict_crlf(c.line()).decode("latin-1")
            except Closed:
                return
            headers = []
            while True:
                h = strict_crlf(c.line()).decode("latin-1")
                if h == "":
                    break
                if h[0] in " \t":
                    raise ValueError("obs-fold")
                name, _, value = h.partition(":")
                headers.append((name.strip().lower(), value.strip()))
            hd = {}
            for k, v in headers:
                hd.setdefault(k, []).append(v)
            parts = req.split(" ")
            method, path = parts[0], parts[1] if len(parts) > 1 else ""
            host = ",".join(hd.get("host", []))
            log(ev="head", peer=peer, method=method, path=path, host=host, request=req,
                headers=[k for k, _ in headers])
            body = 0
            complete = True
            if "transfer-encoding" in hd:
                complete = False
                while True:
                    size_line = strict_crlf(c.line()).decode("latin-1").split(";")[0].strip()
                    if not size_line or any(ch not in "0123456789abcdefABCDEF" for ch in size_line) or len(size_line) > 8:
                        raise ValueError("bad chunk size " + size_line[:20])
                    n = int(size_line, 16)
                    if n == 0:
                        while strict_crlf(c.line()) != b"":
                            pass
                        complete = True
                        break
                    c.exact(n)
                    body += n
                    if c.exact(2) != b"\r\n":
                        raise ValueError("chunk not followed by CRLF")
            elif "content-length" in hd:
                n = int(hd["content-length"][0])
                c.exact(n)
                body = n
            log(ev="done", peer=peer, method=method, path=path, host=host, body=body, complete=complete)
            respond(sock, method, path)
            if "close" in ",".join(hd.get("connection", [])).lower():
                return
    except Closed:
        log(ev="closed-mid-request", peer=peer)
    except (ValueError, ConnectionError, OSError) as e:
        log(ev="error", peer=peer, error=str(e))
    finally:
        try:
            sock.close()
        except OSError:
            pass


def respond(sock, method, path):
    if path.startswith("/resp/conn-cl"):
        body = b"first"
        extra = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED"
        sock.sendall(b"HTTP/1.1 200 OK\r\nConnection: content-length\r\nContent-Length: 5\r\n\r\n" + body + extra)
    elif path.startswith("/resp/te-cl"):
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"5\r\nhello\r\n0\r\n\r\n")
    elif path.startswith("/resp/bad-chunk"):
        sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n")
    elif path.startswith("/resp/101"):
        sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\nConnection: upgrade\r\n\r\nRAW BYTES AFTER 101\r\n")
    elif path.startswith("/resp/split"):
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                     b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED")
    else:
        body = ("origin saw " + path + "\n").encode()
        head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body)
        sock.sendall(head.encode() + (b"" if method == "HEAD" else body))


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", PORT))
    srv.listen(256)
    srv.settimeout(1.0)
    end = time.time() + LIFETIME
    while time.time() < end:
        try:
            s, a = srv.accept()
        except socket.timeout:
            continue
        s.settimeout(60)
        threading.Thread(target=handle, args=(s, "%s:%d" % a), daemon=True).start()


if __name__ == "__main__":
    main()
