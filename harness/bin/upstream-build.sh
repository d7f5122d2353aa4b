#!/usr/bin/env bash
# Build upstream 6.12's own KVM selftests, those named in
# harness/upstream/expected, from the linux-source-6.12 package pinned in
# harness/pins.env: the package is fetched into the cache, its tree (less
# drivers/, fs/, net/, sound/ and Documentation/, which the selftests do not
# use) unpacked there once per version, 6.12's uAPI headers installed from
# it, and the tests built static into out/upstream-selftests/. The binaries
# are exactly upstream's: 6.12's sources against 6.12's headers.
. "$(dirname "$0")/lib.sh"

src_dir=$CACHE/upstream-$UPSTREAM_VERSION
tree=$src_dir/linux-source-6.12
bins=$OUT/upstream-selftests
hdr=$OUT/upstream-headers

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock-upstream"
flock 9
if [ ! -f "$src_dir/.unpacked" ]; then
	deb=$(fetch_pinned "$CACHE/debs" "$UPSTREAM_PACKAGE" "$UPSTREAM_VERSION" \
		"$UPSTREAM_SHA256" "$(newest_version "$UPSTREAM_PACKAGE")") || exit 1
	log "unpacking $UPSTREAM_PACKAGE $UPSTREAM_VERSION"
	rm -rf "$src_dir"
	mkdir -p "$src_dir"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO ./usr/src/linux-source-6.12.tar.xz | xz -dc -T0 |
		tar -x -C "$src_dir" --exclude='linux-source-6.12/drivers' \
			--exclude='linux-source-6.12/fs' --exclude='linux-source-6.12/net' \
			--exclude='linux-source-6.12/sound' --exclude='linux-source-6.12/Documentation'
	[ -f "$tree/tools/testing/selftests/kvm/Makefile" ] ||
		die "$deb has no tools/testing/selftests/kvm in linux-source-6.12/"
	echo "$UPSTREAM_VERSION" >"$src_dir/.unpacked"
fi
flock -u 9

if [ "$(cat "$hdr/.version" 2>/dev/null)" != "$UPSTREAM_VERSION" ]; then
	log "installing 6.12's uAPI headers"
	rm -rf "$hdr"
	make -C "$tree" -s ARCH=x86_64 O="$hdr/obj" INSTALL_HDR_PATH="$hdr" \
		headers_install >"$OUT/upstream-headers.log" 2>&1 ||
		die "headers_install of $UPSTREAM_PACKAGE failed, log: $OUT/upstream-headers.log"
	echo "$UPSTREAM_VERSION" >"$hdr/.version"
fi

# A new source version rebuilds everything.
[ "$(cat "$bins/.version" 2>/dev/null)" = "$UPSTREAM_VERSION" ] || rm -rf "$bins"
mkdir -p "$bins"
targets=()
# The series/ entries are our own tests, built from the assembled tree by
# upstream-selftests.sh.
# NAME,ARG,... runs the binary NAME with arguments (expected's header).
while read -r name _; do targets+=("$bins/${name%%,*}"); done < <(grep -Ev '^[[:space:]]*(#|$|series/)' \
	"$HARNESS/upstream/expected")
log "building ${#targets[@]} of upstream 6.12's KVM selftests"
if ! make -C "$tree/tools/testing/selftests/kvm" OUTPUT="$bins" \
	KHDR_INCLUDES="-isystem $hdr/include" EXTRA_CFLAGS=-static -j"$JOBS" \
	"${targets[@]}" >"$OUT/upstream-selftests-build.log" 2>&1; then
	{ grep -E 'error|No rule' "$OUT/upstream-selftests-build.log" || true; } | head -n 20 >&2
	die "building upstream's selftests failed, log: $OUT/upstream-selftests-build.log"
fi
echo "$UPSTREAM_VERSION" >"$bins/.version"
