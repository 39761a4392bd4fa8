#!/usr/bin/env python3
# tests/fuzz/mk_ike_sa_seeds.py: seeds of fuzz_ike_sa (see its modes),
# made from the real strongSwan exchanges in tests/vectors/.  Run from
# the top of the tree; writes tests/fuzz/corpus/ike_sa/.
#   0/4: every response of the runs as a length-prefixed message list;
#   1:   the payload chain of each IKE_SA_INIT response;
#   2:   the decrypted chain of each IKE_AUTH response;
#   3:   the decrypted chain of each INFORMATIONAL, plus D(IKE), D(ESP),
#        an empty one and a CREATE_CHILD_SA-like chain.
import glob, os, struct

def load(path):
    return bytes.fromhex(''.join(open(path).read().split()))

out = 'tests/fuzz/corpus/ike_sa'
os.makedirs(out, exist_ok=True)

def save(name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)

runs = sorted(glob.glob('tests/vectors/strongswan-*/*/'))
for r, run in enumerate(runs):
    resps = sorted(glob.glob(run + '*-resp.hex'))
    lst = b''.join(struct.pack('>H', len(m)) + m for m in map(load, resps))
    save('%02d-raw' % r, bytes([0, 0]) + lst)
    save('%02d-raw-est' % r, bytes([4, 0]) + lst)
    for path in resps:
        msg = load(path)
        base = os.path.basename(path)[:-4]
        if 'IKE_SA_INIT' in base:
            save('%02d-%s' % (r, base), bytes([1, msg[16]]) + msg[28:])
            continue
        inner = path[:-4] + '.inner.hex'
        if not os.path.exists(inner):
            continue
        first = msg[28]		# the SK header's Next Payload
        if 'IKE_AUTH' in base:
            save('%02d-%s' % (r, base), bytes([2, first]) + load(inner))
    for path in sorted(glob.glob(run + '*-INFORMATIONAL-req.hex')):
        inner = path[:-4] + '.inner.hex'
        if os.path.exists(inner):
            msg = load(path)
            save('%02d-%s' % (r, os.path.basename(path)[:-4]),
                 bytes([3, msg[28], 0]) + load(inner))
# D(IKE): proto 1, SPI size 0, 0 SPIs; D(ESP) of 0xc0ffee01; empty.
save('info-del-ike', bytes([3, 42, 0]) + bytes.fromhex('0000000801000000'))
save('info-del-esp', bytes([3, 42, 0]) +
     bytes.fromhex('0000000c03040001c0ffee01'))
save('info-empty', bytes([3, 0, 0]))
save('info-notify', bytes([3, 41, 0]) + bytes.fromhex('0000000800009c40'))
save('child-nonce', bytes([3, 40, 1]) + bytes.fromhex('00000014') + bytes(16))
# MOBIKE (RFC 4555).  Mode 5: the gateway's INFORMATIONAL with
# UPDATE_SA_ADDRESSES, NAT-D, COOKIE2, ADDITIONAL_IP4/6_ADDRESS,
# NO_ADDITIONAL_ADDRESSES.  Mode 6: the answer to our update (NAT-D;
# UNACCEPTABLE_ADDRESSES), COOKIE2 echoed when the third octet has bit 1.
def notify(nxt, ntype, data=b''):
    return struct.pack('>BBHBBH', nxt, 0, 8 + len(data), 0, 0, ntype) + data
natd_s = notify(41, 16388, bytes(range(20)))
natd_d = notify(0, 16389, bytes(range(20, 40)))
save('mobike-update', bytes([5, 41, 0]) + notify(41, 16400) + natd_s +
     notify(41, 16389, bytes(20)) + notify(0, 16401, b'\xc2' * 16))
save('mobike-cookie2', bytes([5, 41, 0]) + notify(0, 16401, b'\xc2' * 8))
save('mobike-addrs', bytes([5, 41, 0]) +
     notify(41, 16397, bytes([203, 0, 113, 20])) +
     notify(0, 16398, bytes.fromhex('20010db8000000000000000000000021')))
save('mobike-no-addrs', bytes([5, 41, 0]) + notify(0, 16399))
save('mobike-bad-addr', bytes([5, 41, 0]) + notify(0, 16397, bytes(5)))
save('move-answer', bytes([6, 41, 0x22]) + natd_s + natd_d)
save('move-answer-nocookie', bytes([6, 41, 0x20]) + natd_s + natd_d)
save('move-refused', bytes([6, 41, 0x03]) + notify(0, 40))
save('move-empty', bytes([6, 0, 0x12]))
# Issue 8.  Mode 7: a request of ours in flight (third octet bits 0-1:
# liveness, Child SA rekey, crossing D(ESP); bit 2: shutdown) meets the
# gateway's request (bits 4-5: INFORMATIONAL, CREATE_CHILD_SA, IKE_AUTH,
# exchange 99) with a chain we must refuse or answer (RFC 7296 §2.21.3).
crit = bytes.fromhex('0080000801020304')		# unknown type, critical
save('cross-liveness-crit', bytes([7, 200, 0x01]) + crit)
save('cross-liveness-badlen', bytes([7, 41, 0x01]) +
     bytes.fromhex('000001000000' + '0028'))
save('cross-rekey-info', bytes([7, 0, 0x02]))
save('cross-rekey-delete', bytes([7, 42, 0x03]) +
     bytes.fromhex('0000000c03040001c0ffee01'))
save('cross-shutdown', bytes([7, 0, 0x05]))
save('cross-shutdown-rekey', bytes([7, 0, 0x06]))
save('cross-exch99', bytes([7, 0, 0x31]))
save('cross-ike-auth', bytes([7, 0, 0x20]))
save('cross-child-nonce', bytes([7, 40, 0x12]) + bytes.fromhex('00000014') +
     bytes(16))
# Mode 8: the peer's answers to our Child SAs (bits 0-1 to rekeys:
# TEMPORARY_FAILURE, CHILD_SA_NOT_FOUND, NO_PROPOSAL_CHOSEN; 2-3 to new
# ones; 4 INVALID_KE for ecp256; 5 the gateway deletes it; 6 we rekey).
save('refuse-tempfail-rekey', bytes([8, 0, 0x41]))
save('refuse-notfound', bytes([8, 0, 0x42]))
save('refuse-noprop', bytes([8, 0, 0x43]))
save('refuse-tempfail-create', bytes([8, 0, 0x24]))
save('refuse-recreate', bytes([8, 0, 0x20]))
save('refuse-no-add-sas', bytes([8, 0, 0x28]))
save('refuse-want-group', bytes([8, 0, 0x50]))
