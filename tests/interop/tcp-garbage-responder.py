#!/usr/bin/env python3
"""tests/interop/tcp-garbage-responder.py: a fake RFC 9329 responder.

It listens on TCP (default 0.0.0.0:4500; run it inside a network
namespace), reads what an RFC 9329 originator sends first -- the six
octets "IKETCP" and one frame, [Length(2) incl. itself][00000000][IKE
message] -- and then answers with something a client must survive:

  len0        a frame header with Length 0
  len1        Length 1 (shorter than the length field itself)
  len2        Length 2 (an empty frame: nothing after the length)
  short-fin   Length 65535, then 100 octets, then FIN
  slow-junk   a well-formed header (Length 300, non-ESP marker) whose
              IKE "message" is random bytes, sent one octet at a time
              with 50 ms gaps
  junk        random bytes with no framing at all (4 KiB)
  fin         close (FIN) right after reading the first frame
  close       close at once, before reading anything (the unread
              request makes the kernel answer with a reset)
  rst         reset (SO_LINGER 0) right after reading the first frame

RFC 9329 §3 says an unparsable stream is closed; §2.1 puts the Length
field first and counts it.  A frame of Length 2 carries nothing.

Usage: tcp-garbage-responder.py MODE [--port N] [--addr A] [--count N]
       [--log FILE]
It serves --count connections (default: until killed), each one once,
and prints one line per connection to stdout (or --log): the mode, the
peer, what it read ("prefix ok, frame N octets" or why not) and what it
sent.  Every read is bounded by a 5 s timeout.  Python 3 stdlib only.
"""

import argparse
import os
import socket
import struct
import sys
import time

PREFIX = b"IKETCP"
MODES = ("len0", "len1", "len2", "short-fin", "slow-junk", "junk", "fin",
         "close", "rst")
READ_TIMEOUT = 5.0


def read_exact(conn, n):
    """n octets, or fewer if the peer closed or the timeout hit."""
    buf = b""
    while len(buf) < n:
        try:
            chunk = conn.recv(n - len(buf))
        except (socket.timeout, OSError):
            break
        if not chunk:
            break
        buf += chunk
    return buf


def read_first(conn):
    """Read the prefix and the first frame; return a short description."""
    prefix = read_exact(conn, len(PREFIX))
    if prefix != PREFIX:
        return "no prefix (%r)" % prefix[:16]
    hdr = read_exact(conn, 2)
    if len(hdr) < 2:
        return "prefix ok, no frame"
    (length,) = struct.unpack("!H", hdr)
    if length < 2:
        return "prefix ok, bad frame length %d" % length
    body = read_exact(conn, length - 2)
    kind = "IKE" if body[:4] == b"\0\0\0\0" else "ESP?"
    return "prefix ok, %s frame %d octets%s" % (
        kind, length, "" if len(body) == length - 2 else " (truncated)")


def send_slowly(conn, data, gap):
    for i in range(len(data)):
        conn.sendall(data[i:i + 1])
        time.sleep(gap)


def answer(conn, mode):
    """Send the mode's answer; return what was sent, in words."""
    if mode == "len0":
        conn.sendall(struct.pack("!H", 0) + os.urandom(64))
        return "Length 0 + 64 octets"
    if mode == "len1":
        conn.sendall(struct.pack("!H", 1) + os.urandom(64))
        return "Length 1 + 64 octets"
    if mode == "len2":
        # An empty frame, then nothing: a parser must not loop on it.
        conn.sendall(struct.pack("!H", 2))
        time.sleep(0.2)
        conn.sendall(struct.pack("!H", 2) * 32)
        return "33 frames of Length 2"
    if mode == "short-fin":
        conn.sendall(struct.pack("!H", 65535) + os.urandom(100))
        conn.shutdown(socket.SHUT_WR)
        return "Length 65535 + 100 octets, FIN"
    if mode == "slow-junk":
        frame = struct.pack("!H", 300) + b"\0\0\0\0" + os.urandom(296)
        send_slowly(conn, frame, 0.05)
        return "Length 300 IKE frame of random bytes, 1 octet / 50 ms"
    if mode == "junk":
        conn.sendall(os.urandom(4096))
        return "4096 random octets"
    raise ValueError(mode)


def serve_one(conn, peer, mode):
    conn.settimeout(READ_TIMEOUT)
    if mode == "close":
        conn.close()
        return "closed at once"
    got = read_first(conn)
    if mode == "fin":
        conn.shutdown(socket.SHUT_WR)
        closed = read_until_eof(conn, READ_TIMEOUT)
        conn.close()
        return "%s; sent FIN; client %s" % (got, closed)
    if mode == "rst":
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
        conn.close()
        return "%s; sent RST" % got
    try:
        sent = answer(conn, mode)
    except OSError as e:
        sent = "send failed: %s" % e.strerror
    # Wait (bounded) for the client to close its side: that is the check.
    closed = read_until_eof(conn, READ_TIMEOUT)
    conn.close()
    return "%s; sent %s; client %s" % (got, sent, closed)


def read_until_eof(conn, limit):
    deadline = time.monotonic() + limit
    n = 0
    while time.monotonic() < deadline:
        conn.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            chunk = conn.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            return "reset the connection"
        except OSError as e:
            return "error %s" % e.strerror
        if not chunk:
            return "closed (after %d more octets)" % n
        n += len(chunk)
    return "still open after %.0f s (%d more octets)" % (limit, n)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=MODES)
    ap.add_argument("--addr", default="0.0.0.0")
    ap.add_argument("--port", type=int, default=4500)
    ap.add_argument("--count", type=int, default=0,
                    help="connections to serve (0: until killed)")
    ap.add_argument("--log", help="append the lines here, not stdout")
    args = ap.parse_args()
    out = open(args.log, "a", buffering=1) if args.log else sys.stdout

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.addr, args.port))
    srv.listen(8)
    print("listening %s:%d mode %s" % (args.addr, args.port, args.mode),
          file=out, flush=True)
    served = 0
    while args.count == 0 or served < args.count:
        conn, peer = srv.accept()
        served += 1
        try:
            what = serve_one(conn, peer, args.mode)
        except OSError as e:
            what = "error: %s" % e
        print("conn %d from %s:%d mode %s: %s" % (served, peer[0], peer[1],
              args.mode, what), file=out, flush=True)
    srv.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
