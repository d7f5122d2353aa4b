#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ID blocks and ID authentication structures for tests/snp-launch.c.

    make_id_block.py --ld HEX --out DIR

writes into DIR, for the launch whose expected launch digest is HEX (48
bytes; test_launch_digest.py --print-ld computes it for snp-launch's
pages), one pair of files per case snp-launch runs at
KVM_SEV_SNP_LAUNCH_FINISH:

    id_block.bin, id_auth.bin          the good pair: the firmware must
                                       accept it (with AUTH_KEY_EN)
    id_block.bad-measurement.bin, ...  LD with one byte flipped, the block
                                       signed again: only the measurement
                                       is wrong (BAD_MEASUREMENT, 0x0B)
    id_block.bad-signature.bin, ...    the good block, ID_BLOCK_SIG with a
                                       flipped byte (BAD_SIGNATURE, 0x0A)
    id_block.bad-policy.bin, ...       POLICY 0x30001 instead of the
                                       guest's 0x30000, signed again
                                       (POLICY_FAILURE, 0x07)
    id_block.bad-author-sig.bin, ...   the good block and ID_BLOCK_SIG,
                                       ID_KEY_SIG (the author key's
                                       signature of the ID key) with a
                                       flipped byte (BAD_SIGNATURE, 0x0A)

(each case also has its id_auth.<case>.bin). Every file is checked again
after it is built, by decoding it and verifying its signatures with
python3-cryptography (OpenSSL), so that each bad case is wrong in exactly
its one way, and by comparing each bad pair with the good one: it may
differ only in the field its case changes (and, when the block was signed
again, in ID_BLOCK_SIG). Since the firmware accepts the good pair, a bad
one can then fail only for its one defect. One line per case,
"ok <case> ...", on stdout; any mismatch is an error (exit 1).

The formats, from the facts sheet (section 4.3); every number is
little-endian:

  ID block (96 bytes)
    0x00 LD[48]         the launch digest the guest owner expects
    0x30 FAMILY_ID[16]  0x40 IMAGE_ID[16]
    0x50 u32 VERSION    1
    0x54 u32 GUEST_SVN
    0x58 u64 POLICY     must equal the guest's LAUNCH_START policy

  ID authentication information structure (4096 bytes)
    0x000 u32 ID_KEY_ALGO      1 = ECDSA P-384 with SHA-384
    0x004 u32 AUTHOR_KEY_ALGO  1
    0x040 ID_BLOCK_SIG[0x200]  the ID key's signature of the 96-byte block
    0x240 ID_KEY[0x404]        the ID key's public part
    0x680 ID_KEY_SIG[0x200]    the author key's signature of the 0x404
                               bytes of ID_KEY
    0x880 AUTHOR_KEY[0x404]    the author key's public part
    everything else zero

  public key (0x404 bytes): u32 curve (2 = P-384), Qx and Qy as 72-byte
  little-endian numbers, zeros
  signature (0x200 bytes): R at 0x00 and S at 0x48 as 72-byte
  little-endian numbers, zeros; the message is hashed with SHA-384

The ID and author keys are throwaway ECDSA P-384 keys made on each run;
their private halves are never written anywhere.
"""

import argparse
import os
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature, encode_dss_signature)

LD_SIZE = 48
ID_BLOCK_SIZE = 96
ID_AUTH_SIZE = 4096
PUBKEY_SIZE = 0x404
SIG_SIZE = 0x200
COORD_SIZE = 72             # P-384 numbers as the ABI stores them
CURVE_P384 = 2
ALGO_ECDSA_P384_SHA384 = 1

# Offsets in the ID authentication structure
ID_KEY_ALGO = 0x000
AUTHOR_KEY_ALGO = 0x004
ID_BLOCK_SIG = 0x040
ID_KEY = 0x240
ID_KEY_SIG = 0x680
AUTHOR_KEY = 0x880

# What snp-launch's guest is launched with (LAUNCH_START policy)
GUEST_POLICY = 0x30000
BAD_POLICY = 0x30001        # a valid policy, just not the guest's

# Test values: the firmware only copies them into the attestation report.
FAMILY_ID = b"snp-l3-family\0\0\0"
IMAGE_ID = b"snp-launch-img\0\0"
GUEST_SVN = 1

# (case, what makes it wrong, expected firmware status); "" is the good one.
CASES = [
    ("", "nothing", 0x00),
    ("bad-measurement", "LD byte 0 flipped, block signed again", 0x0B),
    ("bad-signature", "ID_BLOCK_SIG byte 0 (R) flipped", 0x0A),
    ("bad-policy", "POLICY %#x, block signed again" % BAD_POLICY, 0x07),
    ("bad-author-sig", "ID_KEY_SIG byte 0 (R) flipped", 0x0A),
]


def le72(n):
    return n.to_bytes(COORD_SIZE, "little")


def id_block(ld, policy):
    """The 96-byte ID block."""
    block = (ld + FAMILY_ID + IMAGE_ID
             + struct.pack("<IIQ", 1, GUEST_SVN, policy))
    assert len(block) == ID_BLOCK_SIZE
    return block


def pubkey(key):
    """The ABI's 0x404-byte public key of a P-384 private key."""
    nums = key.public_key().public_numbers()
    raw = struct.pack("<I", CURVE_P384) + le72(nums.x) + le72(nums.y)
    return raw + bytes(PUBKEY_SIZE - len(raw))


def sign(key, msg):
    """The ABI's 0x200-byte ECDSA P-384/SHA-384 signature of msg."""
    r, s = decode_dss_signature(key.sign(msg, ec.ECDSA(hashes.SHA384())))
    raw = le72(r) + le72(s)
    return raw + bytes(SIG_SIZE - len(raw))


def id_auth(id_key, author_key, block):
    """The 4096-byte ID authentication structure of block."""
    auth = bytearray(ID_AUTH_SIZE)
    struct.pack_into("<II", auth, ID_KEY_ALGO, ALGO_ECDSA_P384_SHA384,
                     ALGO_ECDSA_P384_SHA384)
    id_pub = pubkey(id_key)
    auth[ID_BLOCK_SIG:ID_BLOCK_SIG + SIG_SIZE] = sign(id_key, block)
    auth[ID_KEY:ID_KEY + PUBKEY_SIZE] = id_pub
    auth[ID_KEY_SIG:ID_KEY_SIG + SIG_SIZE] = sign(author_key, id_pub)
    auth[AUTHOR_KEY:AUTHOR_KEY + PUBKEY_SIZE] = pubkey(author_key)
    return auth


def resign(auth, id_key, block):
    """auth with ID_BLOCK_SIG made again for block; the rest (the ID key,
    the author's signature of it, the author key) stays byte for byte."""
    auth = bytearray(auth)
    auth[ID_BLOCK_SIG:ID_BLOCK_SIG + SIG_SIZE] = sign(id_key, block)
    return auth


def flip(buf, off):
    """buf with the lowest bit of byte off inverted."""
    buf = bytearray(buf)
    buf[off] ^= 0x01
    return buf


# --- the check: decode the files as the firmware would -----------------------

def verify(pub_raw, sig_raw, msg):
    """Whether sig_raw (ABI format) is pub_raw's (ABI format) signature of
    msg; False also for a key that is not a P-384 point."""
    curve, = struct.unpack_from("<I", pub_raw, 0)
    if curve != CURVE_P384:
        return False
    x = int.from_bytes(pub_raw[4:4 + COORD_SIZE], "little")
    y = int.from_bytes(pub_raw[4 + COORD_SIZE:4 + 2 * COORD_SIZE], "little")
    r = int.from_bytes(sig_raw[:COORD_SIZE], "little")
    s = int.from_bytes(sig_raw[COORD_SIZE:2 * COORD_SIZE], "little")
    try:
        key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP384R1()).public_key()
        key.verify(encode_dss_signature(r, s), bytes(msg), ec.ECDSA(hashes.SHA384()))
    except (InvalidSignature, ValueError):
        return False
    return True


def properties(block, auth, ld):
    """What the firmware checks, in a fixed order: (LD matches, policy
    matches, ID_BLOCK_SIG valid, ID_KEY_SIG valid)."""
    policy, = struct.unpack_from("<Q", block, 0x58)
    return (block[:LD_SIZE] == ld,
            policy == GUEST_POLICY,
            verify(auth[ID_KEY:ID_KEY + PUBKEY_SIZE],
                   auth[ID_BLOCK_SIG:ID_BLOCK_SIG + SIG_SIZE], block),
            verify(auth[AUTHOR_KEY:AUTHOR_KEY + PUBKEY_SIZE],
                   auth[ID_KEY_SIG:ID_KEY_SIG + SIG_SIZE],
                   auth[ID_KEY:ID_KEY + PUBKEY_SIZE]))


# Where each bad pair may differ from the good one: (block, auth) byte
# ranges. A block signed again changes ID_BLOCK_SIG too.
SIG = (ID_BLOCK_SIG, ID_BLOCK_SIG + SIG_SIZE)
MAY_DIFFER = {
    "bad-measurement": ((0, LD_SIZE), SIG),
    "bad-signature": (None, SIG),
    "bad-policy": ((0x58, 0x60), SIG),
    "bad-author-sig": (None, (ID_KEY_SIG, ID_KEY_SIG + SIG_SIZE)),
}

# Each case must break exactly the property its name says.
EXPECTED = {
    "": (True, True, True, True),
    "bad-measurement": (False, True, True, True),
    "bad-signature": (True, True, False, True),
    "bad-policy": (True, False, True, True),
    "bad-author-sig": (True, True, True, False),
}


def outside(a, b, allowed):
    """Offsets where a and b differ outside the range allowed (or None)."""
    lo, hi = allowed or (0, 0)
    return [i for i, (x, y) in enumerate(zip(a, b)) if x != y and not lo <= i < hi]


def check(block, auth, ld, case, good):
    """None when the pair is wrong in exactly the expected way; good is
    the good (block, auth) pair, for the bad cases."""
    if len(block) != ID_BLOCK_SIZE or len(auth) != ID_AUTH_SIZE:
        return "sizes %d and %d" % (len(block), len(auth))
    version, svn = struct.unpack_from("<II", block, 0x50)
    algos = struct.unpack_from("<II", auth, 0)
    if version != 1 or algos != (1, 1):
        return "VERSION %d, algorithms %s" % (version, algos)
    got = properties(block, auth, ld)
    if got != EXPECTED[case]:
        names = ("LD matches", "policy matches", "ID_BLOCK_SIG valid", "ID_KEY_SIG valid")
        return "; ".join("%s is %s, expected %s" % (n, g, w)
                         for n, g, w in zip(names, got, EXPECTED[case]) if g != w)
    if case == "bad-measurement":
        diff = sum(a != b for a, b in zip(block[:LD_SIZE], ld))
        if diff != 1:
            return "the LD differs from the launch's in %d bytes" % diff
    if case:
        block_range, auth_range = MAY_DIFFER[case]
        for what, a, b, allowed in (("block", block, good[0], block_range),
                                    ("auth", auth, good[1], auth_range)):
            diff = outside(a, b, allowed)
            if diff:
                return "the %s differs from the good one at %#x" % (what, diff[0])
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--ld", required=True, help="expected launch digest, 96 hex digits")
    ap.add_argument("--out", required=True, help="directory for the files")
    args = ap.parse_args()
    try:
        ld = bytes.fromhex(args.ld)
    except ValueError:
        ld = b""
    if len(ld) != LD_SIZE:
        print("error: --ld must be %d bytes of hex" % LD_SIZE, file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)

    id_key = ec.generate_private_key(ec.SECP384R1())
    author_key = ec.generate_private_key(ec.SECP384R1())
    good = id_block(ld, GUEST_POLICY)
    good_auth = id_auth(id_key, author_key, good)
    pairs = {
        "": (good, good_auth),
        "bad-measurement": (flip(good, 0), None),
        "bad-signature": (good, flip(good_auth, ID_BLOCK_SIG)),
        "bad-policy": (id_block(ld, BAD_POLICY), None),
        "bad-author-sig": (good, flip(good_auth, ID_KEY_SIG)),
    }
    failed = 0
    for case, what, status in CASES:
        block, auth = pairs[case]
        if auth is None:
            # A changed block, signed again with the same ID key.
            auth = resign(good_auth, id_key, block)
        suffix = "." + case if case else ""
        for name, data in (("id_block", block), ("id_auth", auth)):
            with open(os.path.join(args.out, "%s%s.bin" % (name, suffix)), "wb") as f:
                f.write(bytes(data))
        # Read back what was written, and check it.
        with open(os.path.join(args.out, "id_block%s.bin" % suffix), "rb") as f:
            block = f.read()
        with open(os.path.join(args.out, "id_auth%s.bin" % suffix), "rb") as f:
            auth = f.read()
        if not case:
            good_files = (block, auth)
        error = check(block, auth, ld, case, good_files)
        if error:
            failed += 1
            print("error: %s: %s" % (case or "good", error), file=sys.stderr)
        else:
            print("ok %s: %s, expected status %#04x" % (case or "good", what, status))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
