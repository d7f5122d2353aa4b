#!/usr/bin/env bash
# Print, for each pinned package (harness/base.env, harness/pins.env), the
# pin and the newest the archive has, with its SHA-256. Changes nothing.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] && apt-get update -q >/dev/null 2>&1

# show FILE VAR-PREFIX PINNED-PACKAGE PINNED-VERSION NEWEST-PACKAGE
show() {
	local file=$1 var=$2 pkg=$3 ver=$4 npkg=$5 nver sum
	nver=$(newest_version "$npkg")
	[ -n "$nver" ] || die "no $npkg in the configured archives"
	if [ "$npkg" = "$pkg" ] && [ "$nver" = "$ver" ]; then
		echo "$file: $pkg $ver is the newest"
		return
	fi
	sum=$(apt-cache show "$npkg=$nver" | sed -n 's/^SHA256: //p' | head -n 1)
	echo "$file: pinned $pkg $ver, newest $npkg $nver; to re-pin, set:"
	[ "$npkg" = "$pkg" ] || echo "  ${var}_PACKAGE=$npkg"
	echo "  ${var}_VERSION=$nver"
	echo "  ${var}_SHA256=$sum"
}
show harness/base.env BASE "$BASE_PACKAGE" "$BASE_VERSION" "$BASE_PACKAGE"
show harness/pins.env STOCK "$STOCK_PACKAGE" "$STOCK_VERSION" "$(newest_stock_package)"
show harness/pins.env UPSTREAM "$UPSTREAM_PACKAGE" "$UPSTREAM_VERSION" "$UPSTREAM_PACKAGE"
