#!/usr/bin/env bash
# Fetch and unpack Debian's stock linux-image 6.12 for L3: the package the
# linux-image-6.12-amd64 meta-package depends on, with apt-get download into
# a cache outside the clone (SNP_STOCK_CACHE, /var/cache/snp-stock-6.12),
# checked against the SHA-256 apt lists, unpacked into out/stock-6.12/ with
# a modules.dep from depmod. Prints "PACKAGE VERSION HOW KERNEL-RELEASE"
# (HOW: cached or downloaded). On failure prints why on standard error and
# exits 1, or 2 when the download itself failed (no archive to reach).
. "$(dirname "$0")/lib.sh"

meta=linux-image-6.12-amd64
stock=$OUT/stock-6.12
stock_cache=${SNP_STOCK_CACHE:-/var/cache/snp-stock-6.12}
fail() { printf '%s\n' "$2" >&2; exit "$1"; }

mkdir -p "$OUT"
pkg=$(apt-cache depends "$meta" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1 || true)
[ -n "$pkg" ] || fail 1 "apt-cache does not know $meta (bookworm-security missing from the apt sources?)"
show=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null || true)
ver=$(awk '$1 == "Version:" { print $2; exit }' <<<"$show")
sha=$(awk '$1 == "SHA256:" { print $2; exit }' <<<"$show")
if [ -z "$ver" ] || [ -z "$sha" ]; then
	fail 1 "apt-cache show $pkg gives no version or SHA256"
fi
mkdir -p "$stock_cache" 2>/dev/null || stock_cache=$OUT/stock-6.12-cache
mkdir -p "$stock_cache"
deb=$stock_cache/${pkg}_${ver/:/%3a}_amd64.deb
how=cached
if [ ! -f "$deb" ] || [ "$(sha256sum <"$deb" | cut -d' ' -f1)" != "$sha" ]; then
	how=downloaded
	rm -f "$deb"
	log "fetching $pkg $ver into $stock_cache"
	if ! (cd "$stock_cache" && apt-get download "$pkg=$ver") \
		>"$OUT/l3-stock-fetch.log" 2>&1 || [ ! -f "$deb" ]; then
		why=$(grep -m1 '^E:' "$OUT/l3-stock-fetch.log" || tail -n 1 "$OUT/l3-stock-fetch.log")
		fail 2 "apt-get download $pkg=$ver failed: ${why:-no output}"
	fi
	if [ "$(sha256sum <"$deb" | cut -d' ' -f1)" != "$sha" ]; then
		fail 1 "$deb does not have the SHA256 apt lists"
	fi
	# Older builds of the package are of no further use.
	find "$stock_cache" -maxdepth 1 -name 'linux-image-6.12.*_amd64.deb' \
		! -name "$(basename "$deb")" -delete
fi

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
