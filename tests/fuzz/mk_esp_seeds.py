#!/usr/bin/env python3
# tests/fuzz/mk_esp_seeds.py: the seed corpora of fuzz_esp_decrypt and
# fuzz_esp_tcp, built from an independent ESP encoder (python3
# cryptography) with the fixed keys of fuzz_esp_decrypt.c, and from the
# captured TCP streams.  Run from the top of the tree.
import glob, hmac, hashlib, os, struct
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SPI = 0x01020304
GCM_KEY = bytes(range(0x10, 0x20)); GCM_SALT = bytes.fromhex('cafebabe')
CBC_KEY = bytes(range(0x20, 0x30)); HMAC_KEY = bytes(range(0x30, 0x50))

def ipv4(n, seed):
    body = bytes((seed * 31 + i * 17) & 0xff for i in range(n))
    return bytes([0x45, 0]) + struct.pack('>H', n) + body[4:n]

def ipv6(n, seed):
    body = bytes((seed * 29 + i * 13) & 0xff for i in range(n))
    return bytes([0x60]) + body[1:4] + struct.pack('>H', n - 40) + body[6:n]

def esp(mode, seq, payload, nh=4, tfc=0):
    esn, cbc = mode & 1, mode & 2
    align = 16 if cbc else 4
    plain = payload + bytes(tfc)
    pad = (align - (len(plain) + 2) % align) % align
    plain += bytes(range(1, pad + 1)) + bytes([pad, nh])
    hdr = struct.pack('>II', SPI, seq & 0xffffffff)
    if cbc:
        iv = os.urandom(16)
        enc = Cipher(algorithms.AES(CBC_KEY), modes.CBC(iv)).encryptor()
        ct = enc.update(plain) + enc.finalize()
        tail = struct.pack('>I', seq >> 32) if esn else b''
        icv = hmac.new(HMAC_KEY, hdr + iv + ct + tail, hashlib.sha256).digest()[:16]
        return hdr + iv + ct + icv
    iv = struct.pack('>Q', seq)
    aad = struct.pack('>IQ', SPI, seq) if esn else hdr
    return hdr + iv + AESGCM(GCM_KEY).encrypt(GCM_SALT + iv, plain, aad)

def frame(pkts):
    return b''.join(struct.pack('>H', len(p)) + p for p in pkts)

out = 'tests/fuzz/corpus/esp_decrypt'
for mode in range(8):
    pkts = [esp(mode, 1, ipv4(20, 1)), esp(mode, 3, ipv4(84, 3), tfc=9),
            esp(mode, 2, ipv6(100, 2), nh=41), esp(mode, 4, b'', nh=59, tfc=16),
            esp(mode, 2, ipv4(84, 2)), esp(mode, 5000, ipv4(1400, 5))]
    open(f'{out}/seed-mode{mode}', 'wb').write(bytes([mode]) + frame(pkts))
for i, f in enumerate(sorted(glob.glob('tests/vectors/*/esp/*[0-9].hex') +
                             glob.glob('tests/vectors/*/*/esp/*[0-9].hex'))):
    p = bytes.fromhex(''.join(open(f).read().split()))
    open(f'{out}/vector-{i:02d}', 'wb').write(bytes([i & 3]) + frame([p]))

out = 'tests/fuzz/corpus/esp_tcp'
d = 'tests/vectors/libreswan-psk-tcp/tcp'
open(f'{out}/i2r-prefix', 'wb').write(b'\x01' + open(f'{d}/stream.i2r.bin', 'rb').read())
open(f'{out}/i2r-noprefix', 'wb').write(b'\x00' + open(f'{d}/stream.i2r.bin', 'rb').read()[6:])
open(f'{out}/r2i', 'wb').write(b'\x02' + open(f'{d}/stream.r2i.bin', 'rb').read())
