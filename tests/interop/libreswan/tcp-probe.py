#!/usr/bin/env python3
"""Prove that an IKEv2 responder speaks RFC 9329 (IKE over TCP) on a port.

Run it where the client would run, e.g.
    ip netns exec ilsgw-cli python3 tcp-probe.py --host 198.51.100.20

Checks (each prints PASS or FAIL; the exit status is the number failed):
  ike_sa_init  TCP connect, the 6-octet prefix "IKETCP" (RFC 9329 s. 3.1),
               then one frame: 16-bit Length counting itself, the 4-octet
               non-ESP marker of zeros, and an IKE_SA_INIT request
               (s. 3.1, 3.2). The answer on the same connection must be
               one such frame holding an IKE_SA_INIT response: our SPIi, a
               non-zero SPIr, exchange 34, the Response flag, message ID 0,
               and SA, KE and Nonce payloads (RFC 7296 s. 1.2).
  garbage      a stream without the prefix is closed by the responder.
  bad_length   the prefix, then a frame whose Length (1) is below the
               minimum, is closed by the responder.
  idle         (--idle) a connection that sends nothing is closed.
  udp_answered (--udp answered) the same request over UDP 500 is answered.
  udp_blocked  (--udp blocked) ... is not: the hotspot drops UDP, so the
               TCP checks pass without any UDP path.

The request is the libreswan initiator's IKE_SA_INIT from the recorded
vectors (4 proposals, KE MODP-2048, which is still a valid public value)
with a random SPIi and a random nonce, so the responder sees a new SA.
Only the Python standard library is used.
"""
import argparse
import os
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VECTOR = "libreswan-psk-tcp/01-IKE_SA_INIT-req.hex"
VECTOR_DIRS = [os.path.join(HERE, "..", "..", "vectors"),
               os.path.join(HERE, "..", "..", "..", "..", "shared",
                            "vectors")]
IKE_HDR = 28
EXCH_IKE_SA_INIT = 34
FLAG_RESPONSE = 0x20
FLAG_INITIATOR = 0x08
PL_SA, PL_KE, PL_NONCE, PL_NOTIFY = 33, 34, 40, 41
PL_NAMES = {33: "SA", 34: "KE", 35: "IDi", 36: "IDr", 37: "CERT",
            38: "CERTREQ", 39: "AUTH", 40: "Ni/Nr", 41: "N", 42: "D",
            43: "V", 46: "SK"}

failures = 0


def result(ok, name, detail):
    global failures
    if not ok:
        failures += 1
    print("%s %s: %s" % ("PASS" if ok else "FAIL", name, detail), flush=True)


def load_vector(path):
    if path is None:
        for d in VECTOR_DIRS:
            cand = os.path.join(d, VECTOR)
            if os.path.exists(cand):
                path = cand
                break
        else:
            raise SystemExit("tcp-probe: %s not found in %s"
                             % (VECTOR, VECTOR_DIRS))
    with open(path) as f:
        return bytes.fromhex("".join(f.read().split()))


def payloads(msg):
    """Yields (type, offset, length) of each payload of an IKE message."""
    nxt, off = msg[16], IKE_HDR
    while nxt != 0:
        if off + 4 > len(msg):
            raise ValueError("payload header past the end at %d" % off)
        plen = struct.unpack_from("!H", msg, off + 2)[0]
        if plen < 4 or off + plen > len(msg):
            raise ValueError("bad payload length %d at %d" % (plen, off))
        yield nxt, off, plen
        nxt, off = msg[off], off + plen
    if off != len(msg):
        raise ValueError("%d trailing octets" % (len(msg) - off))


def fresh_request(template):
    """The template with a random SPIi and nonce data."""
    msg = bytearray(template)
    if struct.unpack_from("!I", msg, 24)[0] != len(msg):
        raise SystemExit("tcp-probe: vector length field mismatch")
    spi = b"\0" * 8
    while spi == b"\0" * 8:
        spi = os.urandom(8)
    msg[0:8] = spi
    msg[8:16] = b"\0" * 8
    for ptype, off, plen in payloads(bytes(msg)):
        if ptype == PL_NONCE:
            msg[off + 4:off + plen] = os.urandom(plen - 4)
    return bytes(msg)


def frame(msg):
    """RFC 9329 s. 3.1: Length (counts itself) | non-ESP marker | IKE."""
    return struct.pack("!H", 2 + 4 + len(msg)) + b"\0\0\0\0" + msg


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("connection closed after %d of %d octets"
                           % (len(buf), n))
        buf += chunk
    return buf


def connect(args):
    return socket.create_connection((args.host, args.port),
                                    timeout=args.timeout)


def check_response(req, resp):
    """Returns a list of problems with resp as the answer to req."""
    bad = []
    if len(resp) < IKE_HDR:
        return ["response shorter than an IKE header (%d)" % len(resp)]
    spii, spir, _nxt, ver, exch, flags, mid, length = struct.unpack_from(
        "!8s8sBBBBII", resp)
    if spii != req[0:8]:
        bad.append("SPIi %s != ours %s" % (spii.hex(), req[0:8].hex()))
    if spir == b"\0" * 8:
        bad.append("SPIr is zero")
    if ver != 0x20:
        bad.append("version 0x%02x" % ver)
    if exch != EXCH_IKE_SA_INIT:
        bad.append("exchange %d" % exch)
    if not flags & FLAG_RESPONSE or flags & FLAG_INITIATOR:
        bad.append("flags 0x%02x" % flags)
    if mid != 0:
        bad.append("message ID %d" % mid)
    if length != len(resp):
        bad.append("IKE length %d != frame payload %d" % (length, len(resp)))
        return bad
    try:
        types = [t for t, _o, _l in payloads(resp)]
    except ValueError as e:
        return bad + [str(e)]
    for want in (PL_SA, PL_KE, PL_NONCE):
        if want not in types:
            bad.append("no %s payload (got %s)" % (PL_NAMES[want], types))
    return bad


def describe(resp):
    out = []
    for t, off, plen in payloads(resp):
        name = PL_NAMES.get(t, str(t))
        if t == PL_NOTIFY:
            name += "(%d)" % struct.unpack_from("!H", resp, off + 6)[0]
        out.append(name)
    return " ".join(out)


def probe_ike_sa_init(args, template):
    req = fresh_request(template)
    t0 = time.monotonic()
    try:
        with connect(args) as s:
            t_conn = time.monotonic()
            s.sendall(b"IKETCP" + frame(req))
            hdr = recv_exact(s, 2)
            flen = struct.unpack("!H", hdr)[0]
            if flen < 2 + 4 + IKE_HDR:
                result(False, "ike_sa_init", "frame Length %d too short"
                       % flen)
                return
            body = recv_exact(s, flen - 2)
            rtt = time.monotonic() - t_conn
    except (OSError, EOFError) as e:
        result(False, "ike_sa_init", "%s:%d: %s" % (args.host, args.port, e))
        return
    if body[0:4] != b"\0\0\0\0":
        result(False, "ike_sa_init", "no non-ESP marker: %s" % body[:4].hex())
        return
    resp = body[4:]
    bad = check_response(req, resp)
    if bad:
        result(False, "ike_sa_init", "; ".join(bad))
        return
    if resp[16] == PL_NOTIFY and PL_SA not in [t for t, _, _ in
                                               payloads(resp)]:
        result(False, "ike_sa_init", "notify only: %s" % describe(resp))
        return
    result(True, "ike_sa_init",
           "SPIi=%s SPIr=%s frame=%d connect_ms=%.1f rtt_ms=%.1f [%s]"
           % (req[0:8].hex(), resp[8:16].hex(), flen,
              (t_conn - t0) * 1000, rtt * 1000, describe(resp)))


def expect_close(args, name, payload, limit):
    """Sends payload and requires the responder to close within limit s."""
    t0 = time.monotonic()
    try:
        with connect(args) as s:
            if payload:
                s.sendall(payload)
            s.settimeout(limit)
            got = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    how = "FIN"
                    break
                got += chunk
    except ConnectionResetError:
        how = "RST"
        got = b""
    except socket.timeout:
        result(False, name, "still open after %.0f s" % limit)
        return
    except OSError as e:
        result(False, name, "%s" % e)
        return
    result(True, name, "closed by %s after %.0f ms (%d octets received)"
           % (how, (time.monotonic() - t0) * 1000, len(got)))


def probe_udp(args, template):
    """IKE_SA_INIT over UDP 500: answered, or dropped in hotspot mode."""
    req = fresh_request(template)
    name = "udp_" + args.udp
    got = None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect((args.host, 500))
        deadline = time.monotonic() + args.udp_wait
        while got is None and time.monotonic() < deadline:
            s.send(req)
            s.settimeout(min(1.0, max(0.01, deadline - time.monotonic())))
            try:
                data = s.recv(65536)
            except socket.timeout:
                continue
            except OSError as e:
                got = "error %s" % e
                break
            if data[0:8] == req[0:8]:
                bad = check_response(req, data)
                got = "; ".join(bad) if bad else "response"
    if args.udp == "answered":
        result(got == "response", name, "UDP 500: %s" % (got or "no answer"))
    else:
        result(got is None, name, "UDP 500: %s within %.0f s"
               % (got or "no answer", args.udp_wait))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="198.51.100.20")
    ap.add_argument("--port", type=int, default=4500)
    ap.add_argument("--vector", help="IKE_SA_INIT request .hex to start from")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="per-check limit in seconds")
    ap.add_argument("--idle", action="store_true",
                    help="also check that an idle connection is closed")
    ap.add_argument("--udp", choices=("skip", "answered", "blocked"),
                    default="skip",
                    help="also send IKE_SA_INIT to UDP 500 and require an "
                    "answer, or (hotspot mode) silence")
    ap.add_argument("--udp-wait", type=float, default=4.0)
    args = ap.parse_args()

    template = load_vector(args.vector)
    if args.udp != "skip":
        probe_udp(args, template)
    probe_ike_sa_init(args, template)
    expect_close(args, "garbage", os.urandom(64), args.timeout)
    expect_close(args, "bad_length", b"IKETCP\x00\x01" + os.urandom(32),
                 args.timeout)
    if args.idle:
        expect_close(args, "idle", b"", args.timeout)
    return failures


if __name__ == "__main__":
    sys.exit(main())
