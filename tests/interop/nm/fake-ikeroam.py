#!/usr/bin/python3
# tests/interop/nm/fake-ikeroam.py: a stand-in for `ikeroam connect` that
# speaks the control protocol (man/ikeroam.8, CONTROL SOCKET) for the
# service's own cases in tests/interop/nm.sh, the ones a real gateway
# cannot make happen on demand.  The profile's "gateway" picks the part:
#   fake-stubborn  up, then ignores "disconnect" and SIGTERM (the service
#                  must end it with SIGKILL, in bounded time)
#   fake-crash     up, then dies by SIGKILL 1 s later, without an exit
#                  event (NetworkManager must see the VPN fail)
#   fake-auth      an exit event with status 3 (authentication failed)
#   fake-ok        up until "disconnect"
# Any other gateway: it execs the real ikeroam ($IKEROAM_FAKE_REAL) with
# the same argv and the profile in a fresh pipe on the same fd, the
# secrets' fd untouched, so one NetworkManager serves both kinds.
# It records what it was given (argv and the profile) in $IKEROAM_FAKE_DIR/given.json.
import fcntl, json, os, signal, socket, struct, sys, time

args = sys.argv[1:]
assert args[0] == "connect", args
opts = dict(zip(args[1::2], args[2::2]))
pfd = int(opts["--profile-fd"])
raw = os.read(pfd, 65536)
profile = json.loads(raw)
part = profile.get("gateway", "")
out = os.environ.get("IKEROAM_FAKE_DIR", "/tmp")
with open(os.path.join(out, "given.json"), "w") as f:
    json.dump({"argv": sys.argv, "profile": profile}, f)
if not part.startswith("fake-"):
    r, w = os.pipe()
    os.write(w, raw)
    os.close(w)
    os.dup2(r, pfd)
    os.close(r)
    real = os.environ["IKEROAM_FAKE_REAL"]
    os.execv(real, [real] + args)
secrets = json.loads(os.read(int(opts["--secrets-fd"]), 65536))

# A TUN device, as ikeroam with --netcfg external makes one.
tun = os.open("/dev/net/tun", os.O_RDWR)
ifr = fcntl.ioctl(tun, 0x400454CA, struct.pack("16sH", b"tun%d", 0x0001 | 0x1000))
ifname = ifr[:16].rstrip(b"\0").decode()
os.system("ip link set dev %s up" % ifname)

if part == "fake-stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(opts["--control-socket"])
srv.listen(1)
srv.settimeout(20)
cl, _ = srv.accept()
cl.settimeout(1)
buf = b""

def send(obj):
    cl.sendall((json.dumps(obj) + "\n").encode())

config = {"event": "config", "interface": ifname, "gateway": "198.51.100.10",
          "mtu": 1400, "ip4": {"address": "198.51.100.250", "prefix": 32,
          "routes": [{"dest": "203.0.113.0", "prefix": 24}],
          "never_default": True, "dns": ["203.0.113.53"],
          "domains": ["corp.test"]}}
deadline = time.monotonic() + 60
crash_at = None
while time.monotonic() < deadline:
    if crash_at and time.monotonic() > crash_at:
        os.kill(os.getpid(), signal.SIGKILL)
    try:
        data = cl.recv(4096)
    except socket.timeout:
        continue
    if not data:
        break
    buf += data
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        req = json.loads(line)
        send({"id": req["id"], "ok": True})
        if req["cmd"] == "subscribe" and part == "fake-auth":
            send({"event": "exit", "exit_status": 3, "reason":
                  "authentication failed: the gateway refused our PSK"})
            sys.exit(3)
        if req["cmd"] == "subscribe":
            send({"event": "state", "state": "up", "substate": "steady"})
            send(config)
            if part == "fake-crash":
                crash_at = time.monotonic() + 1
        elif req["cmd"] == "disconnect" and part != "fake-stubborn":
            send({"event": "exit", "exit_status": 0, "reason": "disconnected"})
            sys.exit(0)
# fake-stubborn: the service must have killed us long before this.
sys.exit(1)
