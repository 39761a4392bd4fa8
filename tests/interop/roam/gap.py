#!/usr/bin/env python3
"""tests/interop/roam/gap.py PINGLOG T0_MS: the traffic gap after a change.

PINGLOG is the output of "ping -n -D -O -i 0.1" that ran across the change
made at T0_MS (epoch milliseconds, the clock ping -D prints).  Prints one
line "GAP LOST AFTER":
  GAP    ms from T0 to the first reply whose request left after T0 (a reply
         still in flight at T0 proves nothing about the new path), or
         "none" when no such reply came
  LOST   requests that never got a reply, from the last one answered
         before T0 to the first one answered after it (0: no loss)
  AFTER  replies to requests sent after T0
"""
import re
import sys

REPLY = re.compile(r"^\[(\d+\.\d+)\] \d+ bytes from .*icmp_seq=(\d+) .*"
                   r"time=([0-9.]+) ms")
SENT = re.compile(r"^\[(\d+\.\d+)\] no answer yet for icmp_seq=(\d+)")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gap.py PINGLOG T0_MS")
    t0 = int(sys.argv[2])
    replies = {}            # seq -> (reply time ms, send time ms)
    for line in open(sys.argv[1], errors="replace"):
        m = REPLY.match(line)
        if m:
            at = float(m.group(1)) * 1000
            replies.setdefault(int(m.group(2)),
                               (at, at - float(m.group(3))))
    before = [s for s, (_, sent) in replies.items() if sent <= t0]
    after = sorted((s for s, (_, sent) in replies.items() if sent > t0),
                   key=lambda s: replies[s][0])
    if not after:
        print("none 0 0")
        return
    first = min(after)
    last = max(before) if before else first
    lost = sum(1 for s in range(last + 1, first) if s not in replies)
    print("%d %d %d" % (replies[after[0]][0] - t0, lost, len(after)))


if __name__ == "__main__":
    main()
