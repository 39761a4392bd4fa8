#!/usr/bin/env python3
"""tests/interop/memscan.py PID HEX...: exit 0 when any of the byte
strings (hex) occurs in the writable memory of process PID (its heap,
stack and anonymous mappings, read through /proc/PID/mem as root), 1
when none does, 2 when the memory cannot be read.  The client-pkcs11
suite asks whether ikeroam's network part holds a PIN or a private key;
it checks the scanner on something that must be there (the certificate).
"""
import sys


def main():
    pid = int(sys.argv[1])
    needles = [bytes.fromhex(h) for h in sys.argv[2:]]
    found = False
    try:
        maps = open(f"/proc/{pid}/maps").read().splitlines()
        mem = open(f"/proc/{pid}/mem", "rb", 0)
    except OSError as e:
        print(f"memscan: {e}", file=sys.stderr)
        return 2
    for line in maps:
        f = line.split()
        if "w" not in f[1]:
            continue
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        if hi - lo > 1 << 30:
            continue
        try:
            mem.seek(lo)
            data = mem.read(hi - lo)
        except OSError:
            continue
        for i, n in enumerate(needles):
            at = data.find(n)
            if at >= 0:
                print(f"memscan: string {i + 1} at {lo + at:#x} ({line})")
                found = True
    return 0 if found else 1


sys.exit(main())
