#!/usr/bin/env bash
# Pack the L2 initramfs: static busybox, our /init with /lib/ktap.sh, the
# kernel modules and the selftest binaries named in the list file given as
# $1 (lines: "name timeout-seconds [args]") and, optionally, in $3 (tests
# only L3 runs, by name: /tests/list.model), and the SNP status debugfs
# must show on the machine it boots, $4 (/tests/expect-snp-status). Writes
# out/l2-initramfs.cpio.gz.
. "$(dirname "$0")/lib.sh"

list=$1
bins=$2
root=$VOUT/l2-root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,tests,lib}
cp /bin/busybox "$root/bin/busybox"
cp "$HARNESS/l2/init" "$root/init"
chmod +x "$root/init"
cp "$HARNESS/initramfs/ktap.sh" "$HARNESS/initramfs/selftests.sh" "$root/lib/"
cp -a "$MODULES/lib/modules" "$root/lib/"
grep -Ev '^[[:space:]]*(#|$)' "$list" >"$root/tests/list"
grep -Ev '^[[:space:]]*(#|$)' "${3:-/dev/null}" >"$root/tests/list.model" || true
# The tests that get a second run after a failure (see the list's "clock").
{ grep -E '^clock ' "$HARNESS/l2/kvm-selftests.list" || true; } | cut -d' ' -f2 >"$root/tests/retry-once"
[ -z "${4:-}" ] || printf '%s\n' "$4" >"$root/tests/expect-snp-status"
while read -r name _; do
	mkdir -p "$root/tests/$(dirname "$name")"
	strip -o "$root/tests/$name" "$bins/$name"
done < <(cat "$root/tests/list" "$root/tests/list.model")
pack_initramfs "$root" "$VOUT/l2-initramfs.cpio.gz"
