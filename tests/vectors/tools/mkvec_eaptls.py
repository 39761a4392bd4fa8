#!/usr/bin/env python3
"""Build a tests/vectors/strongswan-eaptls-udp/ directory from one run of
mkvec_eaptls.sh: the client link's pcap, the gateway's charon log (level
4), ikeroam's TLS key log and ikeroam's -vv log.

Everything written is also checked here, independently of ikeroam's C code
(Python + the 'cryptography' package): SKEYSEED and SK_* from g^ir, every
SK payload decrypted (and equal to the plaintext charon logged), the
EAP-TLS fragments reassembled into TLS flights, the MSK derived from the
key log (RFC 5216 s2.3 / RFC 9190 s2.3 / the drafts for 5.9.8's TLS 1.3)
and equal to the MSK charon used, and both AUTH payloads recomputed from it
(RFC 7296 s2.15/2.16).

usage: mkvec_eaptls.py --pcap P --rlog CHARON_LOG --keylog K --ilog IKEROAM_LOG
                       --tls 1.2|1.3 --out DIR
"""
import argparse
import hashlib
import hmac
import os
import re
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import veclib as v  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--pcap", required=True)
ap.add_argument("--rlog", required=True)
ap.add_argument("--keylog", required=True)
ap.add_argument("--ilog", required=True)
ap.add_argument("--tls", required=True, choices=("1.2", "1.3"))
ap.add_argument("--out", required=True)
a = ap.parse_args()
os.makedirs(a.out, exist_ok=True)
RL = v.parse_ss_log(a.rlog)
keys = []


def K(name, val, comment=None):
    keys.append((name, val, comment))


def prf(key, data):
    return hmac.new(key, data, hashlib.sha256).digest()


def prf_plus(key, seed, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(key, t + seed + bytes([i]))
        out += t
        i += 1
    return out[:n]


# ---------------------------------------------------------- messages ----
ike = []
init_addr = None
for ts, src, sp, dst, dp, pl in v.udp_datagrams(a.pcap):
    if sp not in (500, 4500) and dp not in (500, 4500):
        continue
    if sp == 4500 or dp == 4500:
        if pl == b"\xff" or pl[:4] != b"\0\0\0\0":
            continue            # keepalive or ESP
        body = pl[4:]
    else:
        body = pl
    h = v.ike_header(body)
    assert h["length"] == len(body)
    ike.append(dict(body=body, h=h, file="%02d-%s.hex" % (len(ike) + 1, v.msg_label(body))))
for r in ike:
    v.write_hex(os.path.join(a.out, r["file"]), r["body"])
m1, m2 = ike[0]["body"], ike[1]["body"]
spii, spir = ike[1]["h"]["spii"], ike[1]["h"]["spir"]


def find(m, first, ptype):
    for t, c, body in v.payloads(first, m):
        if t == ptype:
            return body
    return None


Ni = find(m1[28:], ike[0]["h"]["np"], 40)
Nr = find(m2[28:], ike[1]["h"]["np"], 40)
KEi = find(m1[28:], ike[0]["h"]["np"], 34)
KEr = find(m2[28:], ike[1]["h"]["np"], 34)

sel = next(e["text"] for e in RL if "label" not in e and "selected proposal: IKE:" in e["text"])
sel = re.search(r"(IKE:\S+)", sel).group(1)
assert sel == "IKE:AES_GCM_16_128/PRF_HMAC_SHA2_256/CURVE_25519", sel
K("title", "ikeroam (--eap tls, TLS %s) <-> strongSwan 5.9.8 eap-tls" % a.tls)
K("ike_proposal", sel, "as the gateway logged it ('selected proposal')")
K("ike_transforms", "ENCR=20/keylen=128 PRF=5 DH=31")
K("SPIi", spii.hex())
K("SPIr", spir.hex())
K("Ni", Ni.hex())
K("Nr", Nr.hex())
K("KEi_group", "%d" % struct.unpack("!H", KEi[:2])[0])
K("KEi", KEi[4:].hex())
K("KEr", KEr[4:].hex())
gir = v.one(RL, "shared Diffie Hellman secret", "IKE")
K("g_ir", gir.hex(), "gateway log (ike 4), %d bytes" % len(gir))
skeyseed = v.one(RL, "SKEYSEED", "IKE")
assert prf(Ni + Nr, gir) == skeyseed, "SKEYSEED"
K("SKEYSEED", skeyseed.hex(), "= prf(Ni | Nr, g^ir): checked")
lens = [("SK_d", 32), ("SK_ai", 0), ("SK_ar", 0), ("SK_ei", 20), ("SK_er", 20), ("SK_pi", 32), ("SK_pr", 32)]
km = prf_plus(skeyseed, Ni + Nr + spii + spir, sum(n for _, n in lens))
SK, off = {}, 0
for nm, n in lens:
    SK[nm] = km[off:off + n]
    off += n
    if n:
        logged = v.one(RL, "Sk_%s secret" % nm[3:], "IKE")
        assert logged == SK[nm], nm
    K(nm, SK[nm].hex(), "AES key (16) || salt (4), RFC 5282" if nm in ("SK_ei", "SK_er") else
      ("not used (AEAD)" if n == 0 else None))
K("SK_check", "every SK_* = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) and equal to the gateway's log")

# ---------------------------------------------------------- SK payloads --
renc = v.sk_events(RL)
for r in ike:
    m, h = r["body"], r["h"]
    if h["np"] != 46:
        continue
    nxt, _, plen = struct.unpack("!BBH", m[28:32])
    assert 28 + plen == len(m), "SK must be the only payload"
    key = SK["SK_ei"] if h["initiator"] else SK["SK_er"]
    iv, ct = m[32:40], m[40:]
    plain = AESGCM(key[:16]).decrypt(key[16:] + iv, ct, m[:32])
    pad = plain[-1]
    inner = plain[:len(plain) - 1 - pad]
    logged = [e for e in renc if e.get("IV") == iv]
    assert len(logged) == 1 and logged[0]["plain"] == inner, ("gateway plaintext", r["file"])
    r["inner"], r["first"] = inner, nxt
    v.write_hex(os.path.join(a.out, r["file"][:-4] + ".inner.hex"), inner)


def inner_all(ptype, resp):
    out = []
    for r in ike:
        if "inner" in r and r["h"]["exch"] == 35 and r["h"]["response"] == resp:
            out += [(r, b) for t, c, b in v.payloads(r["first"], r["inner"]) if t == ptype]
    return out


IDi = inner_all(35, False)[0][1]
IDr = inner_all(36, True)[0][1]
auth_i = [b for r, b in inner_all(39, False)]
auth_r = [b for r, b in inner_all(39, True)]
assert len(auth_i) == 1 and len(auth_r) == 2, (len(auth_i), len(auth_r))

# ---------------------------------------------------------- EAP-TLS -----
EAPCODE = {1: "Request", 2: "Response", 3: "Success", 4: "Failure"}
rows, flights, cur = [], [], None
for r in ike:
    if "inner" not in r:
        continue
    for t, c, body in v.payloads(r["first"], r["inner"]):
        if t != 48:
            continue
        code, eid, elen = struct.unpack("!BBH", body[:4])
        assert elen == len(body)
        desc = "code=%d(%s) id=0x%02x len=%d" % (code, EAPCODE[code], eid, elen)
        if elen > 4:
            et = body[4]
            desc += " type=%d" % et
            if et == 1:
                desc += "(Identity) %r" % body[5:].decode()
            elif et == 13:
                fl = body[5]
                p = 6
                desc += "(TLS) flags=0x%02x%s%s%s" % (fl, " L" if fl & 0x80 else "", " M" if fl & 0x40 else "",
                                                      " S" if fl & 0x20 else "")
                tlen = None
                if fl & 0x80:
                    tlen = struct.unpack("!I", body[6:10])[0]
                    p = 10
                    desc += " tls_len=%d" % tlen
                data = body[p:]
                desc += " data=%d" % len(data)
                who = "client" if code == 2 else "server"
                if data:
                    if cur is None or cur["who"] != who or cur["done"]:
                        cur = dict(who=who, data=b"", frags=[], tlen=tlen, done=False)
                        flights.append(cur)
                    cur["data"] += data
                    cur["frags"].append((r["file"], len(data)))
                    if not fl & 0x40:
                        cur["done"] = True
                        assert cur["tlen"] is None or cur["tlen"] == len(cur["data"])
                elif not fl & 0x20:
                    desc += " (ACK)" if cur and not cur["done"] else " (empty)"
        rows.append((r["file"], desc, body))
with open(os.path.join(a.out, "eap.txt"), "w") as f:
    f.write("# EAP payloads in the decrypted SK payloads: file, decoded fields, the EAP packet in hex.\n")
    f.write("# EAP-TLS flags (RFC 5216 s3.1): L length included, M more fragments, S start.\n")
    for fn, desc, raw in rows:
        f.write("%s  %s\n    %s\n" % (fn, desc, raw.hex()))

# TLS records of each flight (RFC 8446 s5.1 / RFC 5246 s6.2): they tile it.
HS = {1: "ClientHello", 2: "ServerHello", 4: "NewSessionTicket", 8: "EncryptedExtensions", 11: "Certificate",
      12: "ServerKeyExchange", 13: "CertificateRequest", 14: "ServerHelloDone", 15: "CertificateVerify",
      16: "ClientKeyExchange", 20: "Finished"}
CT = {20: "ChangeCipherSpec", 21: "Alert", 22: "Handshake", 23: "ApplicationData"}
tlsdir = os.path.join(a.out, "tls")
os.makedirs(tlsdir, exist_ok=True)
crand = srand = suite = None
desc_f = []
for i, fl in enumerate(flights, 1):
    d, off, recs = fl["data"], 0, []
    enc = False
    while off < len(d):
        ct, ver, ln = struct.unpack("!BHH", d[off:off + 5])
        rec = d[off + 5:off + 5 + ln]
        assert len(rec) == ln, "record overruns flight %d" % i
        txt = "%s(%d)" % (CT[ct], ln)
        if ct == 22 and not enc:
            hoff, hs = 0, []
            while hoff < len(rec):
                ht = rec[hoff]
                hl = struct.unpack("!I", b"\0" + rec[hoff + 1:hoff + 4])[0]
                hs.append(HS.get(ht, str(ht)))
                if ht == 1:
                    crand = rec[hoff + 6:hoff + 38]
                if ht == 2:
                    srand = rec[hoff + 6:hoff + 38]
                    sidl = rec[hoff + 38]
                    suite = struct.unpack("!H", rec[hoff + 39 + sidl:hoff + 41 + sidl])[0]
                hoff += 4 + hl
            assert hoff == len(rec)
            txt += "[" + " ".join(hs) + "]"
        if ct == 20 or (ct == 23 and a.tls == "1.3"):
            enc = True
        recs.append(txt)
        off += 5 + ln
    name = "%02d-%s.hex" % (i, fl["who"])
    v.write_hex(os.path.join(tlsdir, name), d)
    desc_f.append("%s  %d octets in %d EAP-TLS fragment(s) (%s); records: %s" % (
        name, len(d), len(fl["frags"]), ", ".join("%s:%d" % x for x in fl["frags"]), " ".join(recs)))
with open(os.path.join(tlsdir, "flights.txt"), "w") as f:
    f.write("# Each TLS flight as reassembled from its EAP-TLS fragments (by mkvec_eaptls.py), in order;\n")
    f.write("# NN-client.hex / NN-server.hex hold the flight's bytes. The records tile each flight exactly.\n")
    f.write("# After ChangeCipherSpec (1.2) or ServerHello (1.3) the handshake is encrypted: not decoded.\n")
    for line in desc_f:
        f.write(line + "\n")
assert len(flights) >= 3 and any(len(fl["frags"]) > 1 for fl in flights), "no fragmented flight"

# ---------------------------------------------------------- TLS secrets --
kl = {}
for line in open(a.keylog):
    p = line.split()
    if len(p) == 3:
        assert bytes.fromhex(p[1]) == crand, "key log of another handshake"
        kl[p[0]] = bytes.fromhex(p[2])
sha = hashlib.sha384 if suite in (0x1302, 0xc02c, 0xc030, 0xc024, 0xc028, 0x009d, 0x009f) else hashlib.sha256
hname = "SHA-384" if sha is hashlib.sha384 else "SHA-256"


def p_hash(secret, seed, n):
    out, A = b"", seed
    while len(out) < n:
        A = hmac.new(secret, A, sha).digest()
        out += hmac.new(secret, A + seed, sha).digest()
    return out[:n]


def hkdf_expand_label(secret, label, ctx, n):
    lab = b"tls13 " + label
    info = struct.pack("!H", n) + bytes([len(lab)]) + lab + bytes([len(ctx)]) + ctx
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(secret, t + info + bytes([i]), sha).digest()
        out += t
        i += 1
    return out[:n]


def tls13_exporter(exp, label, ctx, n):
    dsec = hkdf_expand_label(exp, label, sha(b"").digest(), sha().digest_size)
    return hkdf_expand_label(dsec, b"exporter", sha(ctx).digest(), n)


ss_msk = v.one(RL, "secret", "IKE") if len(v.dumps(RL, "secret", "IKE")) == 1 else None
if ss_msk is None:      # one per AUTH computation; all equal
    allm = {e["data"] for e in v.dumps(RL, "secret", "IKE")}
    assert len(allm) == 1, "gateway used %d MSKs" % len(allm)
    ss_msk = allm.pop()
K("TLS_version", "0303" if a.tls == "1.2" else "0304")
K("TLS_cipher_suite", "%04x" % suite, "from the ServerHello; PRF/HKDF hash %s" % hname)
K("TLS_client_random", crand.hex(), "from the ClientHello (tls/01-client.hex)")
K("TLS_server_random", srand.hex(), "from the ServerHello")
if a.tls == "1.2":
    ms = kl["CLIENT_RANDOM"]
    K("TLS_master_secret", ms.hex(), "ikeroam's key log: CLIENT_RANDOM")
    msk = p_hash(ms, b"client EAP encryption" + crand + srand, 128)[:64]
    how = "RFC5216"
    K("MSK_derivation", how, "TLS-PRF-%s(master secret, \"client EAP encryption\", client.random | server.random)[0:64] (RFC 5216 s2.3)" % hname[4:])
else:
    exp = kl["EXPORTER_SECRET"]
    K("TLS_exporter_master_secret", exp.hex(), "ikeroam's key log: EXPORTER_SECRET")
    for n in ("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
              "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"):
        K("TLS_" + n, kl[n].hex(), "ikeroam's key log (not needed for the MSK)")
    rfc = tls13_exporter(exp, b"EXPORTER_EAP_TLS_Key_Material", b"\x0d", 128)[:64]
    draft = tls13_exporter(exp, b"client EAP encryption", b"", 128)[:64]
    assert ss_msk in (rfc, draft)
    msk, how = (rfc, "RFC9190") if ss_msk == rfc else (draft, "DRAFT")
    K("MSK_derivation", how, "RFC9190: TLS-Exporter(\"EXPORTER_EAP_TLS_Key_Material\", 0x0D, 128)[0:64] (RFC 9190 s2.3); "
      "DRAFT: TLS-Exporter(\"client EAP encryption\", \"\", 128)[0:64], what strongSwan 5.9.8 (before RFC 9190, "
      "no protected success indication) derives")
assert msk == ss_msk, "MSK from the key log differs from the gateway's"
K("MSK", msk.hex(), "derived from the key log as MSK_derivation says; equal to the 'secret' of the gateway's AUTH computation")

# ---------------------------------------------------------- AUTH --------
def auth(msg, nonce, skp, idb):
    return prf(prf(msk, b"Key Pad for IKEv2"), msg + nonce + prf(skp, idb))


K("IDi_payload_body", IDi.hex(), "%r" % IDi[4:].decode())
K("IDr_payload_body", IDr.hex(), "%r" % IDr[4:].decode())
assert auth_i[0][:4] == b"\x02\0\0\0" and auth_r[1][:4] == b"\x02\0\0\0"
assert auth(m1, Nr, SK["SK_pi"], IDi) == auth_i[0][4:], "AUTH_i"
assert auth(m2, Ni, SK["SK_pr"], IDr) == auth_r[1][4:], "AUTH_r"
K("AUTH_i", auth_i[0][4:].hex(), "the initiator's AUTH (method 2) after EAP: prf(prf(MSK, \"Key Pad for IKEv2\"), msg1 | Nr | prf(SK_pi, IDi')): checked")
K("AUTH_r", auth_r[1][4:].hex(), "the gateway's final AUTH, likewise with msg2 | Ni | prf(SK_pr, IDr'): checked")
K("AUTH_r_cert_method", "%d" % auth_r[0][0], "the gateway's first AUTH: its certificate")
K("log_source", "responder", "IKE keys and SK plaintexts: the gateway's log; TLS secrets: ikeroam's key log")

with open(os.path.join(a.out, "keys.txt"), "w") as f:
    f.write("# name = value (hex unless noted); '#' lines are comments. Made by tests/vectors/tools/mkvec_eaptls.py.\n")
    for n, val, c in keys:
        if c:
            f.write("# %s\n" % c)
        f.write("%s = %s\n" % (n, val))
with open(os.path.join(a.out, "payloads.txt"), "w") as f:
    f.write("# Outer payload chain of each message, then the inner chain of its SK payload (RFC 7296 payload types).\n")
    for r in ike:
        outer = [t for t, c, b in v.payloads(r["h"]["np"], r["body"][28:])]
        inner = [t for t, c, b in v.payloads(r["first"], r["inner"])] if "inner" in r else []
        f.write("%-28s len=%-5d mid=%d flags=0x%02x outer=%s inner=%s\n" % (
            r["file"], len(r["body"]), r["h"]["mid"], r["h"]["flags"], outer, inner))
print("ok: %s: %d IKE messages, %d TLS flights, MSK %s" % (a.out, len(ike), len(flights), how))
