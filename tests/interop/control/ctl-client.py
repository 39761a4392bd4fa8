#!/usr/bin/python3
# tests/interop/control/ctl-client.py: a raw control-socket client for
# tests/interop/control.sh.
#   ctl-client.py subscribe SOCKET SECONDS OUT   every line for SECONDS
#                                                into OUT (JSON lines)
#   ctl-client.py stale SOCKET                   leave a socket nobody
#                                                listens on
#   ctl-client.py notify SOCKET SECONDS OUT      bind NOTIFY_SOCKET and
#                                                write what systemd would
#                                                get to OUT
#   ctl-client.py raw SOCKET LINE                send LINE, print 1 reply
import os, socket, sys, time

cmd, path = sys.argv[1], sys.argv[2]
if cmd == "stale":
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.close()		# the file stays, nobody listens: ECONNREFUSED
    sys.exit(0)
if cmd == "notify":
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o666)
    s.settimeout(0.5)
    end = time.monotonic() + float(sys.argv[3])
    with open(sys.argv[4], "w") as out:
        while time.monotonic() < end:
            try:
                msg = s.recv(4096)
            except socket.timeout:
                continue
            out.write(msg.decode() + "\n---\n")
            out.flush()
    sys.exit(0)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
if cmd == "raw":
    s.sendall(sys.argv[3].encode() + b"\n")
    s.settimeout(5)
    buf = b""
    while b"\n" not in buf:
        d = s.recv(4096)
        if not d:
            break
        buf += d
    print(buf.split(b"\n")[0].decode())
    sys.exit(0)
s.sendall(b'{"id":1,"cmd":"subscribe"}\n')
s.settimeout(0.5)
end = time.monotonic() + float(sys.argv[3])
buf = b""
with open(sys.argv[4], "w") as out:
    while time.monotonic() < end:
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        if not d:
            break
        buf += d
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            out.write(line.decode() + "\n")
            out.flush()
