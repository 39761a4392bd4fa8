#!/usr/bin/env python3
"""tests/lint-calls.py: no circle of files calling each other in src/.

Each non-static function of src/*.c belongs to the file that defines it;
a call from another file is an edge.  The driver (src/conn.c) calls down
into conn_attempt.c, conn_data.c, conn_tunnel.c, ...; those never call
back up: they post events (conn_post) instead.  A cycle fails the check
with the files and the function that closes it.
"""
import collections
import glob
import os
import re
import sys

top = os.environ.get("top_srcdir") or os.path.join(os.path.dirname(__file__), "..")
files = sorted(glob.glob(os.path.join(top, "src", "*.c")))
DEF = re.compile(r"^(static\s+)?[A-Za-z_][\w \*]*\n(\w+)\(", re.M)


def strip(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)


owner = {}
for f in files:
    for m in DEF.finditer(open(f).read()):
        if not m.group(1):
            owner.setdefault(m.group(2), f)
calls = collections.defaultdict(dict)
for f in files:
    body = strip(open(f).read())
    for name, g in owner.items():
        if g != f and re.search(r"\b%s\s*\(" % name, body):
            calls[f].setdefault(g, name)

state = {}
cycles = []


def visit(f, path):
    state[f] = 1
    for g, name in sorted(calls[f].items()):
        if state.get(g) == 1:
            cyc = path[path.index(g):] + [g]
            cycles.append("%s (closed by %s)" % (" -> ".join(
                os.path.relpath(x, top) for x in cyc), name))
        elif g not in state:
            visit(g, path + [g])
    state[f] = 2


for f in files:
    if f not in state:
        visit(f, [f])
for c in cycles:
    print("lint-calls: circle of files calling each other:", c)
print("lint-calls: %s (%d files)" % ("ok" if not cycles else "FAILED", len(files)))
sys.exit(1 if cycles else 0)
