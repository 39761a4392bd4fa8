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
