#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Launch digest of an SNP guest, computed independently of the model.

The SNP platform model measures every page of SNP_LAUNCH_UPDATE in C
(src/hw/i386/snp-launch-digest.c). This is a second implementation, in
Python's hashlib, written from the facts sheet (section 5.1), not from the
C code: for each 4 KiB page, in submission order,

    LD = SHA-384(PAGE_INFO)

where PAGE_INFO (0x70 bytes) is the digest so far (48), the contents hash
(48: SHA-384 of the page for NORMAL and VMSA pages, zeros otherwise), the
length 0x70 (u16), the page type (u8), IMI_PAGE (u8, 0), the VMPL3, VMPL2
and VMPL1 permission bytes (0 here), a reserved byte and the GPA (u64),
starting from 48 zero bytes.

Modes:

  test_launch_digest.py --ld-tool PATH
      the model's unit test: check this implementation against the facts
      sheet's worked examples (section 5.3), then run ld-tool (the model's
      C code, tests/launch-digest/ld-tool.c) on the same examples and on
      seeded pseudo-random page sequences of every type and compare. KTAP,
      one test per case ("not ok N name # expected X got Y"), the plan
      last; exit 1 when a case failed.

  test_launch_digest.py --check-log LOG [--launches NAME,...] [--id-dir DIR]
      the L3 check of tests/snp-launch.c on Debian's stock 6.12, in the
      model's digest log (-device snp-psp,digest-log=LOG). The log is split
      into launches (launch-start to the decommission of that guest
      context: KVM reuses context pages), the k-th of them being the k-th
      NAME, the launches snp-launch says it started (its KTAP diagnostics
      "# launched NAME"); without --launches, only "snp-launch". Every launch
      must measure the same pages as snp-launch's first (all with policy
      0x30000), and be decommissioned. Per NAME:
        snp-launch  the digest of its pages, page by page and at
                    launch-finish, and the host data ("launch-digest"),
                    and its decommission ("decommission");
        id-block    the same, and its launch-finish digest is the LD of
                    DIR/id_block.bin (the ID block the firmware accepted);
        id-block-bad-*  no launch-finish (the firmware refused the block);
        launch-vmsa after the pages exactly one VMSA page (type 2, gpa
                    0xfffffffff000), last; its digest recomputed from the
                    logged contents hash, and the launch-finish digest.
      KTAP, one test per result ("ok N <name> # <detail>", "not ok N
      <name> # <reason>"); exit 1 when one failed.

  test_launch_digest.py --print-snp-launch
      the expected per-page digests of that launch, in the log's format.

  test_launch_digest.py --print-ld
      the expected final digest of that launch (hex), the LD its ID block
      names (tests/make_id_block.py).
"""

import argparse
import hashlib
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

PAGE_SIZE = 4096
LD_SIZE = 48
PAGE_INFO_SIZE = 0x70

NORMAL, VMSA, ZERO, UNMEASURED, SECRETS, CPUID = 1, 2, 3, 4, 5, 6
TYPE_NAMES = {NORMAL: "normal", VMSA: "vmsa", ZERO: "zero",
              UNMEASURED: "unmeasured", SECRETS: "secrets", CPUID: "cpuid"}
MEASURED = (NORMAL, VMSA)

# The RMP GPA KVM gives the VMSA pages of a launch.
VMSA_GPA = 0xFFFFFFFFF000

LD0 = bytes(LD_SIZE)


def sha384(data):
    return hashlib.sha384(data).digest()


def contents_hash(ptype, page):
    """CONTENTS field of PAGE_INFO: what the page contributes."""
    if ptype in MEASURED:
        if page is None or len(page) != PAGE_SIZE:
            raise ValueError("a %s page needs 4096 bytes of contents"
                             % TYPE_NAMES[ptype])
        return sha384(page)
    return bytes(LD_SIZE)


def page_info(ld, ptype, gpa, page):
    """The 0x70-byte PAGE_INFO of one page (VMPL permissions 0)."""
    info = (ld + contents_hash(ptype, page)
            + struct.pack("<HBB", PAGE_INFO_SIZE, ptype, 0)   # length, type, IMI
            + bytes([0, 0, 0, 0])                            # VMPL3, 2, 1, rsvd
            + struct.pack("<Q", gpa))
    assert len(info) == PAGE_INFO_SIZE
    return info


def extend(ld, ptype, gpa, page):
    """Digest after one page; returns (contents hash, new digest)."""
    return contents_hash(ptype, page), sha384(page_info(ld, ptype, gpa, page))


def measure(pages, ld=LD0):
    """[(type, gpa, page or None)] -> [(contents, ld after the page)]."""
    steps = []
    for ptype, gpa, page in pages:
        contents, ld = extend(ld, ptype, gpa, page)
        steps.append((contents, ld))
    return steps


def final_ld(pages, ld=LD0):
    steps = measure(pages, ld)
    return steps[-1][1] if steps else ld


# --- the facts sheet's worked examples (section 5.3) -------------------------

def qemu_bsp_vmsa(vcpu_sig=0x800F12, sev_features=0x1):
    """The VMSA page of a QEMU-style BSP (facts sheet 5.2, offsets 3.2)."""
    page = bytearray(PAGE_SIZE)

    def seg(off, sel, attrib, limit, base):
        struct.pack_into("<HHIQ", page, off, sel, attrib, limit, base)

    def u64(off, val):
        struct.pack_into("<Q", page, off, val)

    eip = 0xFFFFFFF0
    for off in (0x000, 0x020, 0x030, 0x040, 0x050):     # ES, SS, DS, FS, GS
        seg(off, 0, 0x93, 0xFFFF, 0)
    seg(0x010, 0xF000, 0x9B, 0xFFFF, eip & 0xFFFF0000)  # CS
    seg(0x060, 0, 0, 0xFFFF, 0)                         # GDTR
    seg(0x070, 0, 0x82, 0xFFFF, 0)                      # LDTR
    seg(0x080, 0, 0, 0xFFFF, 0)                         # IDTR
    seg(0x090, 0, 0x8B, 0xFFFF, 0)                      # TR
    u64(0x0D0, 0x1000)                                  # EFER.SVME
    u64(0x148, 0x40)                                    # CR4.MCE
    u64(0x158, 0x10)                                    # CR0.ET
    u64(0x160, 0x400)                                   # DR7
    u64(0x168, 0xFFFF0FF0)                              # DR6
    u64(0x170, 0x2)                                     # RFLAGS
    u64(0x178, eip & 0xFFFF)                            # RIP
    u64(0x268, 0x0007040600070406)                      # G_PAT
    u64(0x310, vcpu_sig)                                # RDX
    u64(0x3B0, sev_features)                            # SEV_FEATURES
    u64(0x3E8, 0x1)                                     # XCR0
    struct.pack_into("<I", page, 0x408, 0x1F80)         # MXCSR
    struct.pack_into("<H", page, 0x410, 0x37F)          # x87 FCW
    return bytes(page)


VMSA_HASH = ("77920c4c629ff47e90c0e174fc1ad0eb6fa664f88cd4739488058a8c"
             "6cb1a77b3856f55378e9518d0da99452d51c553a")

# (name, pages, expected final digest)
KNOWN_ANSWERS = [
    ("kat-zero", [(ZERO, 0, None)],
     "70c0ecaab9608f14ebf8ac6f0f07bcd8728f4e2ab30382b5"
     "39b4de4de904ca9f8ebdf4b2cd3cd84dd996bd55dd794676"),
    ("kat-zero-zero", [(ZERO, 0, None), (ZERO, 0x1000, None)],
     "704fc1c978ea018d1dd46af05008bf8c07a62f6aaaa9087f"
     "62fc44479f6efbf825645db581adf4ac46600e5566130be4"),
    ("kat-normal-zero-page", [(NORMAL, 0, bytes(PAGE_SIZE))],
     "9d13634b6014bb21cf059b2dc694e7bff01a8a7137041100"
     "cd2b695f3d10fb687267b97808b27f8f471d943bc6f53a20"),
    ("kat-vmsa", [(VMSA, VMSA_GPA, qemu_bsp_vmsa())],
     "108432463da76821f35c5daf2f7aecc0ce9ce88652de5f70"
     "f638c7a0345c11f2f80025654b80e7be10a9fe0ee1b75f33"),
]


# --- the launch of tests/snp-launch.c ----------------------------------------

SNP_LAUNCH_POLICY = 0x30000
SNP_LAUNCH_HOST_DATA = bytes(range(0x11, 0x31))
# The CPUID page that must fail (not measured, not in the digest).
SNP_LAUNCH_BAD_CPUID_GPA = 0x7000


def snp_launch_pages():
    """The pages tests/snp-launch.c launches, in its order. The CPUID
    page's contents depend on the CPU; they are not measured. Note that
    (i * 13 + 5) & 0xff repeats every 256 bytes, so the pages at 0x1000
    and 0x2000 are identical and only their GPAs tell them apart."""
    p0 = bytes((i * 7 + 1) & 0xff for i in range(PAGE_SIZE))
    p12 = bytes((i * 13 + 5) & 0xff for i in range(2 * PAGE_SIZE))
    return [
        (NORMAL, 0x0000, p0),
        (NORMAL, 0x1000, p12[:PAGE_SIZE]),
        (NORMAL, 0x2000, p12[PAGE_SIZE:]),
        (ZERO, 0x3000, None),
        (UNMEASURED, 0x4000, b"\xa5" * PAGE_SIZE),
        (SECRETS, 0x5000, bytes(PAGE_SIZE)),
        (CPUID, 0x6000, None),
    ]


# --- pseudo-random sequences for ld-tool --------------------------------------

SEED = 0x5E5_2024


def random_sequences():
    """(name, pages) cases, the same on every run (fixed seed)."""
    rng = random.Random(SEED)

    def rpage():
        return rng.getrandbits(8 * PAGE_SIZE).to_bytes(PAGE_SIZE, "little")

    def rgpa(bits=40):
        return rng.getrandbits(bits) & ~0xFFF

    def one(ptype, gpa=None, with_contents=None):
        if gpa is None:
            gpa = VMSA_GPA if ptype == VMSA else rgpa()
        if with_contents is None:
            with_contents = ptype in MEASURED
        return (ptype, gpa, rpage() if with_contents else None)

    cases = []
    # Every type alone, at a random GPA.
    for ptype in sorted(TYPE_NAMES):
        cases.append(("single-" + TYPE_NAMES[ptype], [one(ptype)]))
    # Unmeasured types given contents: they must not count.
    cases.append(("contents-ignored",
                  [one(t, with_contents=True)
                   for t in (ZERO, UNMEASURED, SECRETS, CPUID)]))
    # A multi-page NORMAL region, one page at a time, ascending GPA.
    base = rgpa(32)
    cases.append(("region-normal-8",
                  [(NORMAL, base + i * PAGE_SIZE, rpage()) for i in range(8)]))
    # The same page contents at another GPA, and the same GPA twice.
    page = rpage()
    cases.append(("same-page-two-gpas",
                  [(NORMAL, 0x100000, page), (NORMAL, 0x101000, page)]))
    cases.append(("same-gpa-twice",
                  [(NORMAL, 0x200000, rpage()), (NORMAL, 0x200000, rpage())]))
    # GPAs with high bits: every byte of the GPA field matters.
    cases.append(("high-gpas",
                  [one(NORMAL, gpa=0x000F_FFFF_FFFF_F000),
                   one(ZERO, gpa=0x0123_4567_89AB_C000),
                   one(CPUID, gpa=0xFFFF_FFFF_FFFF_F000),
                   one(VMSA, gpa=VMSA_GPA)]))
    # A QEMU/OVMF-like order: firmware image, metadata pages, VMSAs.
    ovmf = [(NORMAL, 0xFFC00000 + i * PAGE_SIZE, rpage()) for i in range(6)]
    ovmf += [(ZERO, 0x800000 + i * PAGE_SIZE, None) for i in range(3)]
    ovmf += [(SECRETS, 0x80D000, None), (CPUID, 0x80E000, None),
             (ZERO, 0x80F000, None), (NORMAL, 0x810000, rpage())]
    ovmf += [(VMSA, VMSA_GPA, rpage()) for _ in range(2)]
    cases.append(("ovmf-like", ovmf))
    # Mixed orders: random types, GPAs and lengths.
    for n in range(1, 5):
        pages = []
        for _ in range(rng.randint(5, 24)):
            ptype = rng.randint(NORMAL, CPUID)
            pages.append(one(ptype, with_contents=ptype in MEASURED or rng.random() < 0.5))
        cases.append(("mixed-%d" % n, pages))
    # The launch the L3 test of stock 6.12 runs on the model.
    cases.append(("snp-launch", snp_launch_pages()))
    return cases


# --- running ld-tool -----------------------------------------------------------

def run_ld_tool(tool, pages, tmpdir):
    """Per-page (contents, ld) and the final ld from ld-tool -v."""
    lines = []
    for i, (ptype, gpa, page) in enumerate(pages):
        if page is None:
            lines.append("%d %#x -" % (ptype, gpa))
            continue
        path = os.path.join(tmpdir, "page-%d" % i)
        with open(path, "wb") as f:
            f.write(page)
        lines.append("%d %#x %s" % (ptype, gpa, path))
    proc = subprocess.run([tool, "-v"], input="\n".join(lines) + "\n",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError("ld-tool exit %d: %s" % (proc.returncode,
                                                     proc.stderr.strip()))
    out = proc.stdout.split("\n")
    steps = []
    for line in out[:-2]:
        m = re.fullmatch(r"page (\d+) contents=([0-9a-f]{96}) ld=([0-9a-f]{96})",
                         line)
        if not m or int(m.group(1)) != len(steps):
            raise RuntimeError("ld-tool printed %r" % line)
        steps.append((bytes.fromhex(m.group(2)), bytes.fromhex(m.group(3))))
    if len(out) < 2 or out[-1] != "" or not re.fullmatch(r"[0-9a-f]{96}", out[-2]):
        raise RuntimeError("ld-tool's last line is not a digest: %r" % out[-2:])
    return steps, bytes.fromhex(out[-2])


def compare(expected_steps, got_steps, got_final):
    """None when equal, else 'expected X got Y' for the first difference."""
    exp_final = expected_steps[-1][1] if expected_steps else LD0
    if len(got_steps) != len(expected_steps):
        return "expected %d pages got %d" % (len(expected_steps), len(got_steps))
    for i, ((ec, el), (gc, gl)) in enumerate(zip(expected_steps, got_steps)):
        if ec != gc:
            return "expected page %d contents %s got %s" % (i, ec.hex(), gc.hex())
        if el != gl:
            return "expected page %d ld %s got %s" % (i, el.hex(), gl.hex())
    if got_final != exp_final:
        return "expected %s got %s" % (exp_final.hex(), got_final.hex())
    return None


def ktap_line(n, name, ok, detail):
    """The KTAP result line of test n."""
    detail = " ".join(str(detail).split())
    return "%sok %d %s%s" % ("" if ok else "not ", n, name,
                             " # " + detail if detail else "")


def unit_test(tool):
    failed = 0
    n = 0
    print("TAP version 13")

    def report(name, error):
        nonlocal failed, n
        n += 1
        failed += 1 if error else 0
        print(ktap_line(n, name, not error, error or ""))
        sys.stdout.flush()

    # This implementation against the worked examples.
    got = sha384(qemu_bsp_vmsa()).hex()
    report("kat-vmsa-page", None if got == VMSA_HASH else
           "expected %s got %s" % (VMSA_HASH, got))
    for name, pages, want in KNOWN_ANSWERS:
        got = final_ld(pages).hex()
        report(name, None if got == want else "expected %s got %s" % (want, got))

    # ld-tool (the model's C code) against this implementation.
    cases = [("ld-tool-" + name, pages) for name, pages, _ in KNOWN_ANSWERS]
    cases += [("ld-tool-" + name, pages) for name, pages in random_sequences()]
    with tempfile.TemporaryDirectory(prefix="ld-tool.") as tmpdir:
        for name, pages in cases:
            try:
                steps, final = run_ld_tool(tool, pages, tmpdir)
                error = compare(measure(pages), steps, final)
            except (OSError, RuntimeError) as e:
                error = str(e)
            report(name, error)
    print("1..%d" % n)
    return 1 if failed else 0


# --- the model's digest log ------------------------------------------------------

HEX = r"0x([0-9a-fA-F]+)"
LOG_LINES = {
    "launch-start": re.compile(r"launch-start gctx=%s policy=%s" % (HEX, HEX)),
    "launch-update": re.compile(
        r"launch-update gctx=%s asid=(\d+) type=(\d+) gpa=%s "
        r"contents=([0-9a-fA-F]{96}) ld=([0-9a-fA-F]{96})" % (HEX, HEX)),
    "launch-finish": re.compile(
        r"launch-finish gctx=%s asid=(\d+) ld=([0-9a-fA-F]{96}) "
        r"host_data=([0-9a-fA-F]{64})" % HEX),
    "decommission": re.compile(r"decommission gctx=%s asid=(\d+)" % HEX),
}


def parse_log(path):
    """{kind: [(line number, match groups)]} of the digest log, with the
    number of lines of other kinds under "other"; raises OSError, or
    ValueError for a malformed line of a known kind."""
    entries = {kind: [] for kind in LOG_LINES}
    entries["other"] = 0
    with open(path, encoding="ascii", errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            kind = line.split(" ", 1)[0]
            if kind not in LOG_LINES:
                entries["other"] += 1
                continue
            m = LOG_LINES[kind].fullmatch(line)
            if not m:
                raise ValueError("line %d: malformed %s line: %s" % (n, kind, line))
            entries[kind].append((n, m.groups()))
    return entries


class Launch:
    """One guest's launch in the digest log: from its launch-start to the
    decommission of its guest context. Context pages are reused by later
    guests, so a gctx names a launch only between those two lines."""

    def __init__(self, gctx, policy, line):
        self.gctx, self.policy, self.line = gctx, policy, line
        self.updates = []        # (line, type, gpa, contents, ld, asid)
        self.finishes = []       # (line, asid, ld, host_data)
        self.decommissions = []  # (line, asid)


def split_launches(log):
    """The launches of a parsed log in their order, and what did not fit
    (records of a gctx outside its launch)."""
    events = sorted((n, kind, g) for kind in LOG_LINES for n, g in log[kind])
    launches, open_launch, stray = [], {}, []
    for n, kind, g in events:
        gctx = int(g[0], 16)
        if kind == "launch-start":
            if gctx in open_launch:
                stray.append("line %d: launch-start of gctx %#x, whose launch of line %d "
                             "was not decommissioned" % (n, gctx, open_launch[gctx].line))
            rec = Launch(gctx, int(g[1], 16), n)
            launches.append(rec)
            open_launch[gctx] = rec
            continue
        rec = open_launch.get(gctx)
        if rec is None:
            # KVM decommissions a context whose LAUNCH_START failed: harmless.
            if kind != "decommission":
                stray.append("line %d: %s of gctx %#x outside a launch" % (n, kind, gctx))
            continue
        if kind == "launch-update":
            rec.updates.append((n, int(g[2]), int(g[3], 16), bytes.fromhex(g[4]),
                                bytes.fromhex(g[5]), g[1]))
        elif kind == "launch-finish":
            rec.finishes.append((n, g[1], bytes.fromhex(g[2]), bytes.fromhex(g[3])))
        else:
            rec.decommissions.append((n, g[1]))
            del open_launch[gctx]
    return launches, stray


def check_pages(rec, pages):
    """The measured updates of @rec against @pages [(type, gpa, page)]:
    a list of problems. The CPUID page that must fail is left out, whether
    or not the model logs failed updates."""
    steps = measure(pages)
    updates = [u for u in rec.updates
               if not (u[1] == CPUID and u[2] == SNP_LAUNCH_BAD_CPUID_GPA)]
    problems = []
    if len(updates) != len(pages):
        problems.append("%d launch-update lines, expected %d (%s)"
                        % (len(updates), len(pages),
                           " ".join("%s@%#x" % (TYPE_NAMES.get(u[1], u[1]), u[2])
                                    for u in updates)))
    for i, ((ptype, gpa, _), (contents, ld), u) in enumerate(zip(pages, steps, updates)):
        if (u[1], u[2]) != (ptype, gpa):
            problems.append("page %d is type %d at %#x, expected type %d at %#x"
                            % (i, u[1], u[2], ptype, gpa))
            break
        if u[3] != contents:
            problems.append("page %d (%#x) contents %s, expected %s"
                            % (i, gpa, u[3].hex(), contents.hex()))
            break
        if u[4] != ld:
            problems.append("page %d (%#x) ld %s, expected %s" % (i, gpa, u[4].hex(), ld.hex()))
            break
    return problems


def check_finish(rec, want):
    """One launch-finish with digest @want and snp-launch's host data."""
    if len(rec.finishes) != 1:
        return ["expected one launch-finish, found %d" % len(rec.finishes)]
    _, _, ld, host_data = rec.finishes[0]
    problems = []
    if ld != want:
        problems.append("launch-finish ld=%s, expected %s" % (ld.hex(), want.hex()))
    if host_data != SNP_LAUNCH_HOST_DATA:
        problems.append("host_data=%s, expected %s"
                        % (host_data.hex(), SNP_LAUNCH_HOST_DATA.hex()))
    return problems


def check_asids(rec):
    """Every record of the launch under one ASID: problems, ASID."""
    asids = sorted({u[5] for u in rec.updates} | {f[1] for f in rec.finishes}
                   | {d[1] for d in rec.decommissions})
    if len(asids) > 1:
        return ["ASIDs %s in one launch" % ",".join(asids)], asids[0]
    return [], asids[0] if asids else "?"


def check_decommission(rec):
    """One decommission of the launch's context, after its other records
    (the split puts nothing of the gctx after it into this launch)."""
    if len(rec.decommissions) != 1:
        return False, "expected one decommission of gctx %#x, found %d" % (
            rec.gctx, len(rec.decommissions))
    n, asid = rec.decommissions[0]
    problems, launch_asid = check_asids(rec)
    if problems:
        return False, "decommission ASID %s: %s" % (asid, problems[0])
    return True, "gctx=%#x asid=%s, after the launch (line %d)" % (rec.gctx, asid, n)


def check_snp_launch(rec, log):
    """snp-launch's first launch: its digest and host data."""
    pages = snp_launch_pages()
    want = final_ld(pages)
    problems = check_finish(rec, want) + check_asids(rec)[0] + check_pages(rec, pages)
    if problems:
        return False, "; ".join(problems)
    other = " (%d lines of other kinds in the log)" % log["other"] if log["other"] else ""
    return True, ("ld=%s over %d pages, per-page contents and ld agree, host_data ok "
                  "(gctx %#x, ASID %s)%s" % (want.hex(), len(pages), rec.gctx,
                                             check_asids(rec)[1], other))


# The launches of snp-launch with an ID block at LAUNCH_FINISH: each the
# same pages as the first; only the good ID block may finish the launch.
ID_BLOCK_LAUNCHES = ("id-block", "id-block-bad-measurement", "id-block-bad-signature",
                     "id-block-bad-policy", "id-block-bad-author-sig")


def check_id_block_launch(name, rec, id_dir):
    pages = snp_launch_pages()
    want = final_ld(pages)
    problems = check_asids(rec)[0] + check_pages(rec, pages)
    if name == "id-block":
        problems += check_finish(rec, want)
        if id_dir and not problems:
            try:
                with open(os.path.join(id_dir, "id_block.bin"), "rb") as f:
                    block_ld = f.read(LD_SIZE)
            except OSError as e:
                block_ld = None
                problems.append("cannot read the ID block: %s" % e)
            if block_ld is not None and block_ld != want:
                problems.append("the ID block's LD %s is not the launch's %s"
                                % (block_ld.hex(), want.hex()))
    elif rec.finishes:
        problems.append("the firmware finished the launch (line %d)" % rec.finishes[0][0])
    ok, why = check_decommission(rec)
    if not ok:
        problems.append(why)
    if problems:
        return False, "; ".join(problems)
    if name == "id-block":
        return True, ("launch-finish ld=%s = the ID block's LD, host_data ok, "
                      "decommissioned (gctx %#x, ASID %s)"
                      % (want.hex(), rec.gctx, check_asids(rec)[1]))
    return True, ("same %d pages and ld, no launch-finish in the log, decommissioned "
                  "(gctx %#x, ASID %s)" % (len(pages), rec.gctx, check_asids(rec)[1]))


def check_vmsa_launch(rec):
    """snp-launch's pages and then one vCPU's VMSA, whose contents the host
    cannot predict: the log's contents hash is taken as given, and the
    digest recomputed from it."""
    pages = snp_launch_pages()
    before = final_ld(pages)
    problems = check_asids(rec)[0]
    vmsas = [u for u in rec.updates if u[1] == VMSA]
    others = [u for u in rec.updates if u[1] != VMSA]
    if len(vmsas) != 1:
        problems.append("%d VMSA launch-updates, expected 1" % len(vmsas))
    elif rec.updates[-1] is not vmsas[0]:
        problems.append("the VMSA (line %d) is not the last launch-update (line %d)"
                        % (vmsas[0][0], rec.updates[-1][0]))
    else:
        n, _, gpa, contents, ld, _ = vmsas[0]
        if gpa != VMSA_GPA:
            problems.append("the VMSA is at gpa %#x, expected %#x" % (gpa, VMSA_GPA))
        if contents == bytes(LD_SIZE):
            problems.append("the VMSA's contents hash is zero: not measured")
        # LD = SHA-384(PAGE_INFO(previous LD, logged contents, type 2, GPA)):
        # page_info() hashes a page; here the contents hash is given.
        info = (before + contents + struct.pack("<HBB", PAGE_INFO_SIZE, VMSA, 0)
                + bytes(4) + struct.pack("<Q", VMSA_GPA))
        want = sha384(info)
        if ld != want:
            problems.append("VMSA ld %s, expected %s" % (ld.hex(), want.hex()))
        if rec.finishes and rec.finishes[0][0] < n:
            problems.append("launch-finish (line %d) before the VMSA (line %d)"
                            % (rec.finishes[0][0], n))
        problems += check_finish(rec, want)
    vmsa_less = Launch(rec.gctx, rec.policy, rec.line)
    vmsa_less.updates = others
    problems += check_pages(vmsa_less, pages)
    ok, why = check_decommission(rec)
    if not ok:
        problems.append(why)
    if problems:
        return False, "; ".join(problems)
    _, _, _, contents, ld, _ = vmsas[0]
    return True, ("%d pages, then one VMSA at %#x last (contents %s...): "
                  "ld=%s = SHA-384(PAGE_INFO(ld of the pages, contents, 2, gpa)) "
                  "= launch-finish ld, decommissioned (gctx %#x, ASID %s)"
                  % (len(pages), VMSA_GPA, contents.hex()[:16], ld.hex(), rec.gctx,
                     check_asids(rec)[1]))


def check_log(path, names=("snp-launch",), id_dir=None):
    """snp-launch's launches in the digest log, the k-th launch-start of
    the log being the k-th of @names (the launches snp-launch reports it
    started, in its order): [(name, ok, detail)]. The first launch,
    "snp-launch", gives the results "launch-digest" and "decommission"."""
    def results(ok, why):
        out = []
        for name in names:
            out += [(n, ok, why) for n in
                    (("launch-digest", "decommission") if name == "snp-launch" else (name,))]
        return out

    try:
        log = parse_log(path)
    except (OSError, ValueError) as e:
        return results(False, "digest log %s: %s" % (path, e))
    launches, stray = split_launches(log)
    if stray:
        return results(False, "digest log %s: %s" % (path, "; ".join(stray)))
    if len(launches) != len(names):
        return results(False, "%d launch-starts in the digest log, snp-launch started %d (%s)"
                       % (len(launches), len(names), " ".join(names)))
    out = []
    for name, rec in zip(names, launches):
        if rec.policy != SNP_LAUNCH_POLICY:
            why = "launch-start of gctx %#x has policy %#x, expected %#x" % (
                rec.gctx, rec.policy, SNP_LAUNCH_POLICY)
            out += [(n, False, why) for n in
                    (("launch-digest", "decommission") if name == "snp-launch" else (name,))]
        elif name == "snp-launch":
            out.append(("launch-digest",) + check_snp_launch(rec, log))
            out.append(("decommission",) + check_decommission(rec))
        elif name in ID_BLOCK_LAUNCHES:
            out.append((name,) + check_id_block_launch(name, rec, id_dir))
        elif name == "launch-vmsa":
            out.append((name,) + check_vmsa_launch(rec))
        else:
            out.append((name, False, "no check for a launch named %r" % name))
    return out


def print_snp_launch():
    for (ptype, gpa, _), (contents, ld) in zip(snp_launch_pages(),
                                                measure(snp_launch_pages())):
        print("launch-update type=%d gpa=%#x contents=%s ld=%s"
              % (ptype, gpa, contents.hex(), ld.hex()))
    print("launch-finish ld=%s host_data=%s"
          % (final_ld(snp_launch_pages()).hex(), SNP_LAUNCH_HOST_DATA.hex()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--ld-tool", metavar="PATH",
                      help="run the unit test against this ld-tool")
    mode.add_argument("--check-log", metavar="LOG",
                      help="check snp-launch's launches in the model's digest log")
    mode.add_argument("--print-snp-launch", action="store_true",
                      help="print the expected digests of snp-launch's pages")
    mode.add_argument("--print-ld", action="store_true",
                      help="print the expected final digest of snp-launch's pages")
    ap.add_argument("--launches", metavar="NAME,...", default="snp-launch",
                    help="with --check-log: the launches snp-launch started, in order")
    ap.add_argument("--id-dir", metavar="DIR",
                    help="with --check-log: where id_block.bin is (make_id_block.py)")
    args = ap.parse_args()
    if args.ld_tool:
        return unit_test(args.ld_tool)
    if args.check_log:
        names = [n for n in args.launches.split(",") if n]
        results = check_log(args.check_log, names, args.id_dir)
        print("TAP version 13")
        print("1..%d" % len(results))
        for n, (name, ok, detail) in enumerate(results, 1):
            print(ktap_line(n, name, ok, detail))
        return 0 if all(ok for _, ok, _ in results) else 1
    if args.print_ld:
        print(final_ld(snp_launch_pages()).hex())
        return 0
    print_snp_launch()
    return 0


if __name__ == "__main__":
    sys.exit(main())
