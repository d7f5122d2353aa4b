#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Unit test of the SNP platform model's guest requests and reports.

Runs the model's own code (src/hw/i386/snp-fw-attest.c, through
attest-tool) against OpenSSL, through python3-cryptography and the openssl
command: requests are sealed with OpenSSL's AES-256-GCM and must open in the
model, responses sealed by the model must open with OpenSSL, and the report
the model signs with the test VCEK must verify with OpenSSL against the
test certificate chain. The SNP formats come from the facts sheet
(sections 6 and 7), written here independently of the model's code.

usage: test_attest.py ATTEST_TOOL KEYDIR
Prints KTAP, one test per case ("ok N name", "not ok N name # why"), the
plan last; exits 1 on any failure.
"""
import os
import struct
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PAGE = 4096
HDR = 0x60
REPORT_REQ, REPORT_RSP, KEY_REQ, KEY_RSP = 5, 6, 3, 4
INVALID_PARAM = 0x16
TCB = 0xd308000000000004

failed = 0
cases = 0


def check(name, ok, why=""):
    global failed, cases
    cases += 1
    if cases == 1:
        print("TAP version 13")
    if ok:
        print(f"ok {cases} {name}")
    else:
        failed += 1
        print(f"not ok {cases} {name} # {' '.join(str(why).split())}")
    sys.stdout.flush()


def rnd(n):
    return os.urandom(n)


class Guest:
    """The state the model is given, and the guest's side of the messages."""

    def __init__(self):
        self.vmpck = [rnd(32) for _ in range(4)]
        self.seq = [0, 0, 0, 0]
        self.fields = {
            "policy": 0x30000, "guest_svn": 7, "author_key_en": 0,
            "launch_tcb": TCB, "current_tcb": TCB, "reported_tcb": TCB,
            "committed_tcb": TCB, "mask_chip_id": 0, "mask_chip_key": 0,
            "api": (1 << 16) | (55 << 8) | 21,
        }
        self.bytes = {
            "family_id": rnd(16), "image_id": rnd(16),
            "measurement": rnd(48), "host_data": rnd(32),
            "id_key_digest": rnd(48), "author_key_digest": rnd(48),
            "report_id": rnd(32), "key_secret": rnd(32),
        }

    def spec(self, path):
        with open(path, "w") as f:
            for i, k in enumerate(self.vmpck):
                f.write(f"vmpck{i} {k.hex()}\n")
            for k, v in self.bytes.items():
                f.write(f"{k} {v.hex()}\n")
            for k, v in self.fields.items():
                f.write(f"{k} {v:#x}\n")

    def request(self, msg_type, payload, vmpck=0, seqno=None, tamper=False):
        """A request page as a Linux guest builds it (facts sheet 6.1)."""
        if seqno is None:
            seqno = self.seq[vmpck] + 1
        aad = struct.pack("<BBHBBHI", 1, 1, HDR, msg_type, 1, len(payload), 0)
        aad += bytes([vmpck]) + bytes(35)
        iv = struct.pack("<Q", seqno) + bytes(4)
        sealed = AESGCM(self.vmpck[vmpck]).encrypt(iv, payload, aad)
        ct, tag = bytearray(sealed[:-16]), sealed[-16:]
        if tamper:
            ct[0] ^= 1
        page = tag + bytes(16) + struct.pack("<QQ", seqno, 0) + aad + bytes(ct)
        return page + bytes(PAGE - len(page)), seqno

    def open_response(self, page, vmpck, seqno, want_type):
        """Check the response header and open it with OpenSSL."""
        rseq, = struct.unpack_from("<Q", page, 0x20)
        rtype, rver, rsz = page[0x34], page[0x35], struct.unpack_from("<H", page, 0x36)[0]
        if rseq != seqno + 1 or rtype != want_type or rver != 1:
            raise ValueError(f"header: seqno {rseq} type {rtype} version {rver}")
        iv = struct.pack("<Q", rseq) + bytes(4)
        body = AESGCM(self.vmpck[vmpck]).decrypt(
            iv, page[HDR:HDR + rsz] + page[:16], page[0x30:HDR])
        self.seq[vmpck] = rseq
        return body


def run_tool(tool, spec, keydir, pages):
    out = subprocess.run([tool, spec] + ([keydir] if keydir else []),
                         input=b"".join(pages), capture_output=True, check=True).stdout
    res = []
    for i in range(len(pages)):
        chunk = out[i * (PAGE + 4):(i + 1) * (PAGE + 4)]
        res.append((struct.unpack_from("<I", chunk)[0], chunk[4:]))
    return res


def le(b):
    return int.from_bytes(b, "little")


def verify_report(report, vcek_pem):
    """ECDSA P-384/SHA-384 over 0x000-0x29F; R, S little-endian at 0x2A0."""
    r, s = le(report[0x2A0:0x2E8]), le(report[0x2E8:0x330])
    sig = encode_dss_signature(r, s)
    cert = x509.load_pem_x509_certificate(open(vcek_pem, "rb").read())
    cert.public_key().verify(sig, report[:0x2A0], ec.ECDSA(hashes.SHA384()))
    return sig


def main():
    tool, keydir = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp()
    spec = os.path.join(tmp, "spec")
    vcek = os.path.join(keydir, "vcek.pem")
    chip_id = bytes.fromhex(open(os.path.join(keydir, "chip-id.hex")).read().strip())

    # The published chain: ARK signs ASK signs VCEK.
    v = subprocess.run(["openssl", "verify", "-CAfile", os.path.join(keydir, "ark.pem"),
                        "-untrusted", os.path.join(keydir, "ask.pem"), vcek],
                       capture_output=True, text=True)
    check("cert-chain-verifies", v.returncode == 0, v.stdout + v.stderr)

    # A report request, a second one on the next sequence number, a key
    # request, and the same key request again with another VMPCK.
    g = Guest()
    g.spec(spec)
    report_data = rnd(64)
    req1, s1 = g.request(REPORT_REQ, report_data + struct.pack("<I", 1) + bytes(28))
    g.seq[0] = s1 + 1
    req2, s2 = g.request(REPORT_REQ, report_data + struct.pack("<I", 4) + bytes(28))
    g.seq[0] = s2 + 1
    key_req = struct.pack("<IIQIIQ", 0, 0, 0x8 | 0x1, 0, 7, TCB)
    req3, s3 = g.request(KEY_REQ, key_req)
    req4, s4 = g.request(KEY_REQ, key_req, vmpck=2)
    g.seq = [0, 0, 0, 0]
    (st1, rsp1), (st2, rsp2), (st3, rsp3), (st4, rsp4) = run_tool(
        tool, spec, keydir, [req1, req2, req3, req4])

    check("aes-gcm-openssl-to-model", st1 == 0, f"status {st1:#x}")
    try:
        body = g.open_response(rsp1, 0, s1, REPORT_RSP)
        check("aes-gcm-model-to-openssl", True)
    except (InvalidTag, ValueError) as e:
        check("aes-gcm-model-to-openssl", False, repr(e))
        body = None
    if body is not None:
        status, size = struct.unpack_from("<II", body)
        report = body[0x20:0x20 + size]
        check("report-response-fields", status == 0 and size == 0x4A0 and len(body) == 0x4C0,
              f"status {status} size {size:#x} len {len(body):#x}")
        want = {
            0x000: struct.pack("<I", 2), 0x004: struct.pack("<I", 7),
            0x008: struct.pack("<Q", 0x30000), 0x010: g.bytes["family_id"],
            0x020: g.bytes["image_id"], 0x030: struct.pack("<I", 1),
            0x034: struct.pack("<I", 1), 0x038: struct.pack("<Q", TCB),
            0x048: struct.pack("<I", 0), 0x050: report_data,
            0x090: g.bytes["measurement"], 0x0C0: g.bytes["host_data"],
            0x0E0: g.bytes["id_key_digest"], 0x110: bytes(48),
            0x140: g.bytes["report_id"], 0x180: struct.pack("<Q", TCB),
            0x1A0: chip_id, 0x1E0: struct.pack("<Q", TCB),
            0x1E8: bytes([21, 55, 1]), 0x1EC: bytes([21, 55, 1]),
            0x1F0: struct.pack("<Q", TCB),
        }
        bad = [f"{off:#x}" for off, val in want.items() if report[off:off + len(val)] != val]
        check("report-fields", not bad, "differ at " + ", ".join(bad))
        try:
            sig = verify_report(report, vcek)
            check("report-signature-python-openssl", True)
        except InvalidSignature:
            sig = None
            check("report-signature-python-openssl", False, "bad signature")
        if sig:
            body_f = os.path.join(tmp, "report.bin")
            sig_f = os.path.join(tmp, "report.sig")
            pub_f = os.path.join(tmp, "vcek.pub")
            open(body_f, "wb").write(report[:0x2A0])
            open(sig_f, "wb").write(sig)
            subprocess.run(["openssl", "x509", "-in", vcek, "-pubkey", "-noout", "-out", pub_f],
                           check=True)
            v = subprocess.run(["openssl", "dgst", "-sha384", "-verify", pub_f,
                                "-signature", sig_f, body_f], capture_output=True, text=True)
            check("report-signature-openssl-cli", v.returncode == 0, v.stdout + v.stderr)
            tampered = bytearray(report)
            tampered[0x90] ^= 1
            try:
                verify_report(bytes(tampered), vcek)
                check("tampered-report-fails-verification", False, "verified")
            except InvalidSignature:
                check("tampered-report-fails-verification", True)

    # The second request was for VMPL 4: the guest gets status 0x16.
    try:
        body = g.open_response(rsp2, 0, s2, REPORT_RSP)
        check("report-bad-vmpl-status", st2 == 0 and struct.unpack_from("<I", body)[0] == INVALID_PARAM,
              f"command {st2:#x}, message {struct.unpack_from('<I', body)[0]:#x}")
    except (InvalidTag, ValueError) as e:
        check("report-bad-vmpl-status", False, repr(e))

    # Derived keys: the same request gives the same key under any VMPCK.
    keys = []
    for name, st, rsp, vmpck, seq in (("key-request", st3, rsp3, 0, s3),
                                      ("key-request-vmpck2", st4, rsp4, 2, s4)):
        try:
            body = g.open_response(rsp, vmpck, seq, KEY_RSP)
            ok = st == 0 and struct.unpack_from("<I", body)[0] == 0 and len(body) == 64
            check(name, ok, f"command {st:#x}")
            keys.append(body[0x20:0x40])
        except (InvalidTag, ValueError) as e:
            check(name, False, repr(e))
    check("derived-key-stable", len(keys) == 2 and keys[0] == keys[1] and any(keys[0]),
          "keys differ or are zero")

    # Another measurement selected in the key: another key.
    g2 = Guest()
    g2.vmpck, g2.bytes["key_secret"] = g.vmpck, g.bytes["key_secret"]
    g2.bytes["measurement"] = rnd(48)
    g2.spec(spec)
    req, s = g2.request(KEY_REQ, key_req)
    (st, rsp), = run_tool(tool, spec, keydir, [req])
    try:
        body = g2.open_response(rsp, 0, s, KEY_RSP)
        check("derived-key-follows-measurement", st == 0 and body[0x20:0x40] != keys[0],
              "same key for another measurement")
    except (InvalidTag, ValueError, IndexError) as e:
        check("derived-key-follows-measurement", False, repr(e))

    # TCB_VERSION is a vector of one-byte version numbers (facts sheet 7.1):
    # a request may not ask for a newer boot loader even when the whole u64
    # is smaller than the committed TCB; every component lower is fine.
    g5 = Guest()
    g5.spec(spec)
    reqs = []
    for tcb in (0x0000000000000005, 0xd307000000000003):
        req, s = g5.request(KEY_REQ, struct.pack("<IIQIIQ", 0, 0, 0x20, 0, 7, tcb))
        g5.seq[0] = s + 1
        reqs.append((req, s, tcb))
    g5.seq = [0, 0, 0, 0]
    res = run_tool(tool, spec, keydir, [r[0] for r in reqs])
    got = []
    for (req, s, tcb), (st, rsp) in zip(reqs, res):
        try:
            got.append((tcb, st, struct.unpack_from("<I", g5.open_response(rsp, 0, s, KEY_RSP))[0]))
        except (InvalidTag, ValueError) as e:
            got.append((tcb, st, repr(e)))
    check("key-request-tcb-per-component",
          [g[1:] for g in got] == [(0, INVALID_PARAM), (0, 0)],
          "; ".join(f"TCB {t:#018x} (committed {TCB:#018x}): command {c:#x}, message {m}"
                    for t, c, m in got))

    # Only the fields GUEST_FIELD_SELECT names enter the key: with policy and
    # measurement selected, another guest SVN, TCB, image ID or family ID in
    # the request or the guest gives the same key; a selected SVN does not.
    g6 = Guest()
    g6.spec(spec)
    variants = (("svn 7", 0x9, 7, TCB), ("svn 3, older TCB", 0x9, 3, 0xd307000000000003),
                ("svn 7 selected", 0x19, 7, TCB), ("svn 3 selected", 0x19, 3, TCB))
    reqs = []
    for name, sel, svn, tcb in variants:
        req, s = g6.request(KEY_REQ, struct.pack("<IIQIIQ", 0, 0, sel, 0, svn, tcb))
        g6.seq[0] = s + 1
        reqs.append((name, req, s))
    g6.seq = [0, 0, 0, 0]
    res = run_tool(tool, spec, keydir, [r[1] for r in reqs])
    g7 = Guest()
    g7.vmpck = g6.vmpck
    for k in ("key_secret", "measurement"):
        g7.bytes[k] = g6.bytes[k]
    g7.spec(spec)
    req, s = g7.request(KEY_REQ, struct.pack("<IIQIIQ", 0, 0, 0x9, 0, 7, TCB))
    reqs.append(("other image and family ID", req, s))
    res += run_tool(tool, spec, keydir, [req])
    keys = {}
    for (name, req, s), (st, rsp) in zip(reqs, res):
        try:
            body = (g7 if name.startswith("other") else g6).open_response(rsp, 0, s, KEY_RSP)
            if st == 0 and struct.unpack_from("<I", body)[0] == 0:
                keys[name] = body[0x20:0x40]
        except (InvalidTag, ValueError):
            pass
    same = [n for n in ("svn 3, older TCB", "other image and family ID")
            if n in keys and keys[n] == keys.get("svn 7")]
    check("derived-key-ignores-unselected-fields",
          len(keys) == 5 and len(same) == 2 and keys["svn 7 selected"] != keys["svn 3 selected"],
          f"answered: {sorted(keys)}; same key as svn 7: {same}; "
          f"selected SVN changes the key: {keys.get('svn 7 selected') != keys.get('svn 3 selected')}")

    # Requests the model must refuse, and that must not use up a number.
    g3 = Guest()
    g3.spec(spec)
    payload = rnd(64) + bytes(32)
    replay, _ = g3.request(REPORT_REQ, payload, seqno=3)
    tampered, _ = g3.request(REPORT_REQ, payload, tamper=True)
    good, sg = g3.request(REPORT_REQ, payload)
    res = run_tool(tool, spec, keydir, [replay, tampered, good])
    check("wrong-seqno-refused", res[0][0] == INVALID_PARAM, f"status {res[0][0]:#x}")
    check("tampered-request-refused", res[1][0] == INVALID_PARAM, f"status {res[1][0]:#x}")
    try:
        g3.open_response(res[2][1], 0, sg, REPORT_RSP)
        check("refusals-keep-seqno", res[2][0] == 0, f"status {res[2][0]:#x}")
    except (InvalidTag, ValueError) as e:
        check("refusals-keep-seqno", False, repr(e))

    # SNP_CONFIG's MASK_CHIP_ID and MASK_CHIP_KEY: no chip ID, no signature.
    g4 = Guest()
    g4.fields["mask_chip_id"] = 1
    g4.fields["mask_chip_key"] = 1
    g4.spec(spec)
    req, s = g4.request(REPORT_REQ, rnd(64) + bytes(32))
    (st, rsp), = run_tool(tool, spec, keydir, [req])
    try:
        report = g4.open_response(rsp, 0, s, REPORT_RSP)[0x20:]
        check("masked-chip-id-and-key", st == 0 and report[0x1A0:0x1E0] == bytes(64) and
              report[0x2A0:] == bytes(0x200) and report[0x48] & 2,
              "chip ID or signature present")
    except (InvalidTag, ValueError) as e:
        check("masked-chip-id-and-key", False, repr(e))

    print(f"1..{cases}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
