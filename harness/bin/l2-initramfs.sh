#!/usr/bin/env bash
# Pack the L2 initramfs: static busybox, our /init, the kernel modules and
# the selftest binaries named in the list file given as $1 (lines:
# "name timeout-seconds [args]"). Writes out/l2-initramfs.cpio.gz.
. "$(dirname "$0")/lib.sh"

list=$1
bins=$2
root=$OUT/l2-root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,tests,lib}
cp /bin/busybox "$root/bin/busybox"
cp "$HARNESS/l2/init" "$root/init"
chmod +x "$root/init"
cp -a "$MODULES/lib/modules" "$root/lib/"
grep -Ev '^[[:space:]]*(#|$)' "$list" >"$root/tests/list"
while read -r name _; do
	mkdir -p "$root/tests/$(dirname "$name")"
	strip -o "$root/tests/$name" "$bins/$name"
done <"$root/tests/list"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/l2-initramfs.cpio.gz"
