#!/usr/bin/env python3
"""tests/bench/first_reply.py: when does the first ICMP echo come back?

Usage: first_reply.py ADDR DEADLINE_S READY_FILE

Sends an echo request to ADDR every millisecond (ping(8) slows down to
one every 10 ms while nothing answers, too coarse for a start-up time)
until a matching reply arrives or DEADLINE_S seconds have passed.
READY_FILE is created once the socket is open, so that the caller can
start the program under test only when the prober already listens.
Prints the arrival time of the first reply as seconds since the epoch
(CLOCK_REALTIME, microseconds), or "-" at the deadline; exits 0 either
way.  Needs root (a raw ICMP socket); run inside the client namespace.
"""
import os
import select
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def echo(ident, seq):
    body = b"ikeroam-first-reply"
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, checksum(hdr + body), ident,
                       seq) + body


def main():
    addr, deadline = sys.argv[1], float(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.setblocking(False)
    ident = os.getpid() & 0xFFFF
    with open(sys.argv[3], "w"):
        pass
    end = time.monotonic() + deadline
    seq = 0
    next_send = time.monotonic()
    while True:
        now = time.monotonic()
        if now >= end:
            print("-")
            return
        if now >= next_send:
            seq = (seq + 1) & 0xFFFF
            try:
                s.sendto(echo(ident, seq), (addr, 0))
            except OSError:
                pass        # no route yet, or a full queue: try again
            next_send = now + 0.001
        r, _, _ = select.select([s], [], [], max(0.0, next_send - now))
        if not r:
            continue
        try:
            pkt, src = s.recvfrom(2048)
        except OSError:
            continue
        t = time.time()
        ihl = (pkt[0] & 0x0F) * 4
        if len(pkt) < ihl + 8 or src[0] != addr:
            continue
        typ, _, _, rid, _ = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
        if typ == 0 and rid == ident:
            print("%.6f" % t)
            return


if __name__ == "__main__":
    main()
