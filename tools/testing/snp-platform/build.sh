#!/usr/bin/env bash
# Build the SNP platform model: Debian's qemu source (the version in
# qemu.pin) plus patches/ and src/, x86_64-softmmu only, into out/model/.
#
# The pristine source is downloaded and unpacked once into the cache. Each
# build assembles pristine + patches + our files in a staging tree and
# copies into out/model/src only the files whose content changed, so ninja
# rebuilds what a change affects and nothing else.
. "$(dirname "$0")/../../../harness/bin/lib.sh"

MODEL=$TOP/tools/testing/snp-platform
# shellcheck source=qemu.pin
. "$MODEL/qemu.pin"
upstream_version=${QEMU_SRC_VERSION#*:}
QCACHE=$CACHE/qemu-src
WORK=$OUT/model
PRISTINE=$QCACHE/$upstream_version/pristine
CONFIGURE_ARGS="--target-list=x86_64-softmmu --disable-docs --disable-werror
	--disable-user --disable-tools --disable-guest-agent --disable-sdl
	--disable-gtk --disable-vnc --disable-opengl --disable-virglrenderer
	--disable-slirp --disable-xen --disable-spice --disable-capstone
	--enable-fdt=system --enable-nettle --enable-gnutls --disable-gcrypt"

# Debian's archive serves sources only with a deb-src entry; add one for
# the archives the machine already uses.
ensure_deb_src() {
	apt-cache showsrc qemu 2>/dev/null | grep -q '^Package: qemu' && return 0
	[ "$(id -u)" = 0 ] || die "no deb-src entry for qemu; run as root once to add it"
	local f=/etc/apt/sources.list.d/snp-platform-src
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$f.sources"
	else
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$f.list"
	fi
	log "added a deb-src entry ($f.*) and updating the package lists"
	apt-get update -q >/dev/null
}

fetch_source() {
	local dsc=$QCACHE/qemu_$upstream_version.dsc newest
	mkdir -p "$QCACHE"
	if [ ! -f "$dsc" ]; then
		ensure_deb_src
		log "downloading Debian's qemu source $QEMU_SRC_VERSION"
		if ! (cd "$QCACHE" && apt-get source -q --download-only "qemu=$QEMU_SRC_VERSION" >/dev/null 2>&1); then
			newest=$(apt-cache showsrc qemu 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)
			die "qemu source $QEMU_SRC_VERSION is not in the archive (newest: ${newest:-none});" \
				"update tools/testing/snp-platform/qemu.pin and check the patches still apply"
		fi
	fi
	echo "$QEMU_DSC_SHA256  $dsc" | sha256sum -c --quiet - >/dev/null 2>&1 ||
		die "$dsc does not match QEMU_DSC_SHA256 in qemu.pin"
	if [ ! -f "$PRISTINE/.complete" ]; then
		log "unpacking the qemu source (once per version)"
		rm -rf "$PRISTINE"
		mkdir -p "$(dirname "$PRISTINE")"
		# apt checked the archive signature; dpkg-source checks the tarballs
		# against the .dsc we checked above.
		dpkg-source -q --no-check -x "$dsc" "$PRISTINE" >/dev/null
		touch "$PRISTINE/.complete"
	fi
}

assemble_source() {
	local stage=$WORK/stage p
	rm -rf "$stage"
	mkdir -p "$WORK"
	cp -a "$PRISTINE" "$stage"
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		patch -s -d "$stage" -p1 --no-backup-if-mismatch <"$MODEL/patches/$p" ||
			die "patches/$p does not apply to qemu $QEMU_SRC_VERSION"
	done <"$MODEL/patches/series"
	cp -a "$MODEL/src/." "$stage/"
	# Only files whose content changed get a new timestamp.
	mkdir -p "$WORK/src"
	rsync -a -c --delete "$stage/" "$WORK/src/"
	rm -rf "$stage"
}

configure_and_build() {
	local build=$WORK/build args
	# Compile the same files in another clone from the cache as well.
	export CCACHE_BASEDIR=$WORK CCACHE_NOHASHDIR=1
	args=$(echo $CONFIGURE_ARGS)
	if [ ! -f "$build/build.ninja" ] || [ "$(cat "$build/.configure-args" 2>/dev/null)" != "$args" ]; then
		log "configuring qemu ($args)"
		rm -rf "$build"
		mkdir -p "$build"
		# shellcheck disable=SC2086
		(cd "$build" && ../src/configure $args >configure.log 2>&1) ||
			die "qemu configure failed, log: $build/configure.log"
		echo "$args" >"$build/.configure-args"
	fi
	log "building the SNP platform model (qemu-system-x86_64)"
	ninja -C "$build" -j"$JOBS" qemu-system-x86_64 >"$build/build.log" 2>&1 ||
		{ grep -E 'error' "$build/build.log" | head -n 20 >&2; die "qemu build failed, log: $build/build.log"; }
}

fetch_source
assemble_source
configure_and_build
# The PSP's test attestation keys and their certificate chain, once per
# output directory.
"$MODEL/make-test-keys.sh" "$WORK/keys" || die "could not generate the model's test keys"
log "model: $WORK/build/qemu-system-x86_64"
