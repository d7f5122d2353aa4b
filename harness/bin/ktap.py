#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn KTAP into the harness's results: the one parser of test output.

Reads KTAP (Documentation/dev-tools/ktap.rst: "KTAP version 1" or "TAP
version 13", "1..N", "ok N name", "not ok N name # reason",
"ok N name # SKIP reason", "# diagnostic", subtests indented by four
spaces, with or without "# Subtest: name") from FILE, or standard input,
and prints one line per result:

    STATUS<tab>NAME<tab>DETAIL        STATUS is PASS, FAIL or SKIP

Lines that are not KTAP (a kernel's console messages between the test
lines) are ignored. A test with subtests is reported through its subtests;
the test itself only when it failed and none of its subtests says why (a
crash, an exit status), or when fewer subtests ran than its plan said. A
test program that fails one case therefore gives exactly one FAIL, naming
that case. Subtest names are joined to their parent's with ":".

The detail of a result is the text after " # " on its line (the reason of
a "not ok" or a SKIP, or what an "ok" found), else empty.

Options:
  --dmesg           strip the "[  12.345678] " timestamps of a kernel log
  --subtest PATH    report only the subtests of the test PATH (a:b:c)
  --match PREFIX    of the reported tests, keep those whose name starts
                    with PREFIX, without it
  --prefix TEXT     put TEXT before every reported name
  --expect NAME     a test that must be reported (repeatable); missing ones
                    are FAIL with the --missing text
  --expect-file F   the same, the first word of each line of F
  --missing TEXT    detail of a missing test ("did not run")
  --skip-is-fail T  report a SKIP as FAIL with the detail "T: reason"
  --name NAME       report a failure that concerns no single test (no KTAP
                    at all, --subtest not found, an incomplete plan) as a
                    FAIL of NAME; without it, such failures show only in
                    the tests that are missing (--expect)
  --all             also report every test that has subtests
  --diag            also print the diagnostic lines before a result, as
                    "DIAG<tab>NAME<tab>TEXT"
"""

import argparse
import re
import sys

TIMESTAMP = re.compile(r"^\[ *[0-9]+\.[0-9]+\] ?")
VERSION = re.compile(r"^(KTAP version [0-9]+|TAP version [0-9]+)\s*$")
PLAN = re.compile(r"^1\.\.([0-9]+)(\s*#.*)?$")
RESULT = re.compile(r"^(not ok|ok) ([0-9]+)\b ?(?:- )?(.*)$")
SUBTEST = re.compile(r"^# Subtest: (.*)$")


class Test:
    def __init__(self, ok, num, name, directive, detail, diags, level):
        self.ok = ok
        self.num = num
        self.name = name or "test-%d" % num
        self.directive = directive      # "SKIP", "TODO" or None
        self.detail = detail
        self.diags = diags
        self.children = level.tests if level else []
        self.plan = level.plan if level else None

    @property
    def status(self):
        if self.directive == "SKIP":
            return "SKIP"
        if self.directive == "TODO":
            return "SKIP" if not self.ok else "PASS"
        return "PASS" if self.ok else "FAIL"


class Level:
    def __init__(self, indent):
        self.indent = indent
        self.tests = []
        self.plan = None
        self.diags = []
        self.seen = False       # a version, plan or result line


def split_description(desc):
    """name, directive, detail of "name # SKIP reason" and the like."""
    name, sep, rest = desc.partition("#")
    name = name.strip()
    rest = rest.strip()
    if not sep:
        return name, None, ""
    m = re.match(r"^(SKIP|TODO|XFAIL)\b:?\s*(.*)$", rest, re.IGNORECASE)
    if m:
        word = m.group(1).upper()
        return name, "SKIP" if word == "SKIP" else "TODO", m.group(2).strip()
    return name, None, rest


def parse(lines, dmesg):
    """The top-level tests, and the top-level plan (None without one)."""
    stack = [Level(0)]
    done = None             # the level just closed, for the next result
    found = False
    for raw in lines:
        line = raw.rstrip("\r\n").replace("\r", "")
        if dmesg:
            line = TIMESTAMP.sub("", line)
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        body = body.rstrip()
        kind = None
        if VERSION.match(body):
            kind = "version"
        elif PLAN.match(body):
            kind = "plan"
        elif RESULT.match(body):
            kind = "result"
        elif body.startswith("#"):
            kind = "diag"
        if kind is None:
            continue
        if kind == "diag" and indent > stack[-1].indent and not SUBTEST.match(body):
            # A diagnostic deeper than the current level opens none, unless
            # it is "# Subtest:".
            continue
        found = True
        while indent < stack[-1].indent:
            done = stack.pop()
            if not stack or stack[-1].indent < indent:
                stack.append(Level(indent))
        if indent > stack[-1].indent:
            stack.append(Level(indent))
            done = None
        level = stack[-1]
        if kind == "version":
            if level.seen and level is not stack[0]:
                continue
            level.seen = True
        elif kind == "plan":
            level.plan = int(PLAN.match(body).group(1))
            level.seen = True
        elif kind == "diag":
            if not SUBTEST.match(body):
                level.diags.append(body[1:].strip())
        else:
            m = RESULT.match(body)
            name, directive, detail = split_description(m.group(3))
            sub = done if done is not None and done.indent > indent else None
            level.tests.append(Test(m.group(1) == "ok", int(m.group(2)), name,
                                    directive, detail, level.diags, sub))
            level.diags = []
            level.seen = True
            done = None
    while len(stack) > 1:
        stack.pop()
    return found, stack[0].tests, stack[0].plan


def has_fail(test):
    return any(c.status == "FAIL" or has_fail(c) for c in test.children)


def emit(tests, path, args, out):
    for t in tests:
        name = path + ":" + t.name if path else t.name
        if args.diag:
            for d in t.diags:
                out.append(("DIAG", name, d))
        if t.children:
            emit(t.children, name, args, out)
            short = t.plan is not None and len(t.children) < t.plan
            if args.all:
                out.append((t.status, name, t.detail))
            elif has_fail(t):
                pass
            elif t.status == "FAIL":
                out.append(("FAIL", name, t.detail or "failed"))
            elif short and t.status != "SKIP":
                out.append(("FAIL", name, "%d of %d subtests reported"
                            % (len(t.children), t.plan)))
            continue
        out.append((t.status, name, t.detail))


def find(tests, path):
    want, _, rest = path.partition(":")
    for t in tests:
        if t.name == want:
            return find(t.children, rest) if rest else t
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("file", nargs="?")
    ap.add_argument("--dmesg", action="store_true")
    ap.add_argument("--subtest")
    ap.add_argument("--match")
    ap.add_argument("--prefix", default="")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--expect-file")
    ap.add_argument("--missing", default="did not run")
    ap.add_argument("--skip-is-fail")
    ap.add_argument("--name")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--diag", action="store_true")
    args = ap.parse_args()

    if args.file:
        with open(args.file, errors="replace") as f:
            found, tests, plan = parse(f, args.dmesg)
    else:
        found, tests, plan = parse(sys.stdin, args.dmesg)

    out = []
    problem = None
    if not found:
        problem = "no KTAP output"
    elif args.subtest:
        t = find(tests, args.subtest)
        if t is None:
            problem = "no results of %s" % args.subtest
            tests = []
        else:
            if t.plan is not None and len(t.children) < t.plan:
                problem = "%d of %d subtests of %s reported" % (
                    len(t.children), t.plan, args.subtest)
            elif t.status == "FAIL" and not has_fail(t):
                problem = "%s failed: %s" % (args.subtest, t.detail or "no reason given")
            tests = t.children
    elif plan is not None and len(tests) < plan:
        problem = "%d of %d tests reported" % (len(tests), plan)
    emit(tests, "", args, out)

    if args.match is not None:
        out = [(s, n[len(args.match):], d) for s, n, d in out if n.startswith(args.match)]
    expect = list(args.expect)
    if args.expect_file:
        with open(args.expect_file) as f:
            expect += [line.split()[0] for line in f if line.split()]
    reported = set(n for s, n, d in out if s != "DIAG")
    # Expected tests as a subtest's results are named too ("a:b" for "a").
    for name in expect:
        if name not in reported and not any(r.startswith(name + ":") for r in reported):
            out.append(("FAIL", name, args.missing))
    for status, name, detail in out:
        if status == "SKIP" and args.skip_is_fail:
            status, detail = "FAIL", "%s: %s" % (args.skip_is_fail, detail)
        print("%s\t%s%s\t%s" % (status, args.prefix, name, detail))
    if problem and args.name:
        print("FAIL\t%s\t%s" % (args.name, problem))
    return 0


if __name__ == "__main__":
    sys.exit(main())
