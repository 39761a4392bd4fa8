#!/usr/bin/env python3
# tests/fuzz/mk_rtnl_seeds.py: the seed corpus of fuzz_rtnl, kernel-shaped
# route dumps (host byte order, as rtnetlink is).  Each seed is the
# target's 17-octet preamble (family bit + excluded ifindex, gateway)
# followed by one datagram.  Run from the top of the tree.
import os, socket, struct

D = 'tests/fuzz/corpus/rtnl'
RTA_DST, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY = 1, 4, 5, 6
RTA_PREFSRC, RTA_MULTIPATH, RTA_TABLE = 7, 9, 15

def attr(t, v):
    n = 4 + len(v)
    return struct.pack('=HH', n, t) + v + b'\0' * ((4 - n % 4) % 4)

def route(fam, dlen, typ, attrs, flags=0):
    body = struct.pack('=BBBBBBBBI', fam, dlen, 0, 0, 254, 3, 0, typ,
                       flags) + attr(RTA_TABLE, u32(254)) + b''.join(attrs)
    return struct.pack('=IHHII', 16 + len(body), 24, 2, 7, 0) + body

def nexthop(oif, gw):
    a = attr(RTA_GATEWAY, gw) if gw else b''
    return struct.pack('=HBBi', 8 + len(a), 0, 0, oif) + a

ip = lambda s: socket.inet_pton(socket.AF_INET, s)
ip6 = lambda s: socket.inet_pton(socket.AF_INET6, s)
u32 = lambda v: struct.pack('=I', v)
DONE = struct.pack('=IHHII', 20, 3, 2, 7, 0) + u32(0)
HDR4 = b'\x12' + ip('203.0.113.10') + b'\0' * 12	# IPv4, exclude 9
HDR6 = b'\x13' + ip6('2001:db8:5::10')

seeds = {
    'v4_full_tunnel': HDR4 + b''.join([
        route(2, 0, 1, [attr(RTA_PRIORITY, u32(100)),
                        attr(RTA_GATEWAY, ip('192.0.2.1')),
                        attr(RTA_OIF, u32(2))]),
        route(2, 1, 1, [attr(RTA_DST, ip('0.0.0.0')), attr(RTA_OIF, u32(9))]),
        route(2, 1, 1, [attr(RTA_DST, ip('128.0.0.0')),
                        attr(RTA_OIF, u32(9))]),
        route(2, 32, 1, [attr(RTA_DST, ip('203.0.113.10')),
                         attr(RTA_GATEWAY, ip('192.0.2.1')),
                         attr(RTA_OIF, u32(2)),
                         attr(RTA_PREFSRC, ip('192.0.2.2'))]),
        route(2, 24, 7, [attr(RTA_DST, ip('198.51.100.0'))])]) + DONE,
    'v4_multipath': HDR4 + route(2, 0, 1, [attr(RTA_MULTIPATH,
        nexthop(9, None) + nexthop(3, ip('198.51.100.129')))]) + DONE,
    'v6_defaults': HDR6 + b''.join([
        route(10, 0, 1, [attr(RTA_PRIORITY, u32(1024)),
                         attr(RTA_GATEWAY, ip6('fe80::1')),
                         attr(RTA_OIF, u32(2))]),
        route(10, 64, 1, [attr(RTA_DST, ip6('2001:db8:a::')),
                          attr(RTA_OIF, u32(3))])]) + DONE,
}
os.makedirs(D, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(D, name), 'wb') as f:
        f.write(data)
