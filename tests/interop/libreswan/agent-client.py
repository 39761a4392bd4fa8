#!/usr/bin/env python3
"""Run one shell command in the gateway guest through its exec agent.

Usage: agent-client.py SOCKET TIMEOUT COMMAND

SOCKET is the unix socket qemu exposes for the virtio-serial port
"ikeroam.agent" (guest/agent.sh is the other end). The command's stdout
and stderr are copied to ours and its exit status becomes ours; 124 means
it timed out in the guest, 125 that the agent did not answer in time.
Replies with another id (left over from an earlier, abandoned call) are
skipped.
"""
import base64
import os
import socket
import sys
import time


def dec(field):
    return b"" if field == "-" else base64.b64decode(field)


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    path, tmo, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    tag = "%d-%d" % (os.getpid(), time.monotonic_ns())
    line = "EXEC %s %d %s\n" % (tag, tmo,
                                base64.b64encode(cmd.encode()).decode())
    # The guest polls for a connected host every 0.2 s; allow for that,
    # the command's own timeout and emulation slowness.
    deadline = time.monotonic() + tmo + 15
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    s.sendall(line.encode())
    buf = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.stderr.write("agent-client: no answer from the guest\n")
            return 125
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            sys.stderr.write("agent-client: connection closed\n")
            return 125
        buf += chunk
        while b"\n" in buf:
            raw, buf = buf.split(b"\n", 1)
            f = raw.decode(errors="replace").split(" ")
            if len(f) != 5 or f[0] != "DONE" or f[1] != tag:
                continue
            sys.stdout.buffer.write(dec(f[3]))
            sys.stderr.buffer.write(dec(f[4]))
            return int(f[2])


if __name__ == "__main__":
    sys.exit(main())
