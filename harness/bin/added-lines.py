#!/usr/bin/env python3
"""Keep only the compiler/sparse diagnostics that point at lines our series adds.

Usage: added-lines.py SRC < diagnostics
Reads "git diff -U0 base..HEAD" in SRC to learn which lines of which files the
series adds (all lines of a new file), then prints each "file:line:...:
warning|error" diagnostic from stdin whose location is one of those lines.
Warnings in untouched upstream lines are not ours to fix and are dropped.
"""
import re
import subprocess
import sys


def added_lines(src):
    diff = subprocess.run(['git', '-C', src, 'diff', '-U0', '--no-color', 'base..HEAD'],
                          check=True, capture_output=True, text=True).stdout
    added, path = {}, None
    for line in diff.splitlines():
        if line.startswith('+++ '):
            path = line[6:] if line.startswith('+++ b/') else None
            if path:
                added.setdefault(path, set())
        elif line.startswith('@@') and path:
            m = re.match(r'@@ -\S+ \+(\d+)(?:,(\d+))? @@', line)
            start, count = int(m.group(1)), int(m.group(2) or 1)
            added[path].update(range(start, start + count))
    return added


def main():
    added = added_lines(sys.argv[1])
    loc = re.compile(r'^(?:\.\./)*(?:\./)?([^:\s]+):(\d+):(?:\d+:)?\s*(warning|error)')
    for line in sys.stdin:
        m = loc.match(line)
        if m and int(m.group(2)) in added.get(m.group(1), ()):
            sys.stdout.write(line)


if __name__ == '__main__':
    main()
