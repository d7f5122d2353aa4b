#!/usr/bin/env bash
# Print the newest linux-source-6.1 in the archive with its SHA-256, for
# updating harness/base.env. Changes nothing.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] && apt-get update -q >/dev/null 2>&1
v=$(newest_base_version)
[ -n "$v" ] || die "no $BASE_PACKAGE in the configured archives"
sum=$(apt-cache show "$BASE_PACKAGE=$v" | sed -n 's/^SHA256: //p' | head -n 1)
echo "pinned:  $BASE_VERSION"
echo "newest:  $v"
echo "To re-pin, set in harness/base.env:"
echo "BASE_VERSION=$v"
echo "BASE_SHA256=$sum"
