#!/usr/bin/env bash
# Install the Debian packages the build and the tests need (idempotent).
. "$(dirname "$0")/lib.sh"

PACKAGES="bc bison build-essential busybox-static ca-certificates ccache cpio
	dpkg-dev flex gawk git kexec-tools kmod libc6-dev libelf-dev libssl-dev perl python3
	python3-sphinx qemu-system-x86 qemu-utils rsync sparse xz-utils zstd
	meson ninja-build pkg-config libglib2.0-dev libpixman-1-dev libfdt-dev
	zlib1g-dev nettle-dev libgmp-dev libgnutls28-dev seabios openssl
	python3-cryptography"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root, or install them)"
log "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	die "apt-get install failed for:$missing"
