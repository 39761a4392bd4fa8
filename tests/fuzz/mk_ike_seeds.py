#!/usr/bin/env python3
# tests/fuzz/mk_ike_seeds.py: the seed corpora of fuzz_ike_msg and
# fuzz_ike_sk, made from the real exchanges in tests/vectors/.  Run from
# the top of the tree; writes tests/fuzz/corpus/ike_msg/ and ike_sk/.
#   ike_msg: every message as sent, and every decrypted inner chain
#            wrapped as a plaintext message (so payload parsers behind
#            SK get real seeds: IDi, AUTH, CP, TS, EAP, CERT, ...).
#   ike_sk:  mode octet 0 + the messages of the two strongSwan runs whose
#            SK_ei fuzz_ike_sk.c uses; 1/2 + inner chains (seal/open);
#            3 + fragment size + inner chains (fragment round trip).
import glob, os, struct

def load(path):
    return bytes.fromhex(''.join(open(path).read().split()))

def save(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)

msgs = sorted(glob.glob('tests/vectors/*/*-*.hex') +
              glob.glob('tests/vectors/*/*/*-*.hex'))
msgs = [m for m in msgs if '/esp/' not in m and not m.endswith('.inner.hex')]
for i, path in enumerate(msgs):
    msg = load(path)
    run = path.split('/')[-2]
    tag = '%02d-%s' % (i, os.path.basename(path)[:-4])
    save('tests/fuzz/corpus/ike_msg', tag, msg)
    inner_path = path[:-4] + '.inner.hex'
    if os.path.exists(inner_path):
        inner = load(inner_path)
        first = msg[28]		# SK is the first payload in all of them
        hdr = msg[:16] + bytes([first]) + msg[17:24] + \
            struct.pack('>I', 28 + len(inner))
        save('tests/fuzz/corpus/ike_msg', tag + '.inner', hdr + inner)
        save('tests/fuzz/corpus/ike_sk', tag + '.gcm', b'\x01' + inner)
        save('tests/fuzz/corpus/ike_sk', tag + '.cbc', b'\x02' + inner)
        save('tests/fuzz/corpus/ike_sk', tag + '.frag',
             b'\x03' + bytes([len(inner) % 200 + 20]) + inner)
    if run in ('aesgcm128-prfsha256-x25519', 'aescbc128-sha256-modp2048') \
            and 'strongswan-psk-udp' in path:
        save('tests/fuzz/corpus/ike_sk', tag + '.msg', b'\x00' + msg)
