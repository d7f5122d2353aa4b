#!/usr/bin/env bash
# Fetch and unpack Debian's stock linux-image 6.12 for L3: the package and
# version pinned in harness/pins.env, with apt-get download into a cache
# outside the clone (SNP_STOCK_CACHE, /var/cache/snp-stock-6.12), checked
# against the pinned SHA-256, unpacked into out/stock-6.12/ with
# a modules.dep from depmod. Prints "PACKAGE VERSION HOW KERNEL-RELEASE"
# (HOW: cached or downloaded). On failure prints why on standard error and
# exits 1, or 2 when the download itself failed (no archive to reach).
. "$(dirname "$0")/lib.sh"

stock=$OUT/stock-6.12
stock_cache=${SNP_STOCK_CACHE:-/var/cache/snp-stock-6.12}
fail() { printf '%s\n' "$2" >&2; exit "$1"; }

mkdir -p "$OUT"
mkdir -p "$stock_cache" 2>/dev/null || stock_cache=$OUT/stock-6.12-cache
pkg=$STOCK_PACKAGE ver=$STOCK_VERSION sha=$STOCK_SHA256
how=cached
[ -n "$(find "$stock_cache" -maxdepth 1 -name "${pkg}_*.deb" 2>/dev/null)" ] || how=downloaded
deb=$(fetch_pinned "$stock_cache" "$pkg" "$ver" "$sha" \
	"$(newest_stock_package) $(newest_version "$(newest_stock_package)")" 2>"$OUT/l3-stock-fetch.log") || {
	why=$(sed -n 's/^ERROR: //p' "$OUT/l3-stock-fetch.log" | tail -n 1)
	# A pin the archive dropped fails; an archive out of reach skips.
	grep -q 'not in the archive any more\|checksum mismatch' "$OUT/l3-stock-fetch.log" && fail 1 "$why"
	no_reuse "the archive was out of reach"
	fail 2 "${why:-fetching $pkg $ver failed}: $(grep -m1 '^E:' "$OUT/l3-stock-fetch.log" || true)"
}
# Other builds of the package are of no further use.
find "$stock_cache" -maxdepth 1 -name 'linux-image-6.12.*.deb' ! -name "$(basename "$deb")" -delete

# Unpack once per package file; Debian's package has no modules.dep (its
# postinst runs depmod), so depmod makes one for the unpacked tree.
stamp="$pkg $ver $sha"
if [ "$(cat "$stock/.unpacked" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$stock"
	mkdir -p "$stock"
	if dpkg-deb -x "$deb" "$stock" 2>"$OUT/l3-stock-unpack.err" &&
		kver=$(ls "$stock/lib/modules" 2>/dev/null) &&
		depmod -b "$stock" "$kver" 2>>"$OUT/l3-stock-unpack.err"; then
		printf '%s\n' "$stamp" >"$stock/.unpacked"
	fi
fi
kver=$(ls "$stock/lib/modules" 2>/dev/null || true)
if [ ! -f "$stock/.unpacked" ] || [ ! -f "$stock/boot/vmlinuz-$kver" ] ||
	[ ! -f "$stock/lib/modules/$kver/modules.dep" ]; then
	fail 1 "cannot unpack $deb or run depmod on it: $(head -n 1 "$OUT/l3-stock-unpack.err" 2>/dev/null || true)"
fi
printf '%s %s %s %s\n' "$pkg" "$ver" "$how" "$kver"
