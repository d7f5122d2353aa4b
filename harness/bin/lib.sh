# shellcheck shell=bash
# Common settings and helpers for the harness scripts; sourced, not run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HARNESS=$TOP/harness
# shellcheck source=../base.env
. "$HARNESS/base.env"
# shellcheck source=../pins.env
. "$HARNESS/pins.env"

# Build products live in the clone (ignored by git); downloads and compiler
# caches live outside it so that a fresh clone builds quickly, but nothing
# fails when the cache is empty.
OUT=${SNP_OUT:-$TOP/out}
CACHE=${SNP_CACHE:-/var/cache/sev-snp-6.1}
SRC=$OUT/linux
# The object tree is a subdirectory of the source tree: kbuild then uses
# relative paths, so ccache hits survive a move to another clone.
# The kernel every test level boots has the debug options of
# harness/configs/debug.config (lockdep, KASAN, kmemleak, ...).
# VARIANT=nodebug is the same kernel without them, in a tree of its own:
# the per-patch build proof and L0's W=1 builds use it, and
# `make VARIANT=nodebug check` boots it, for timings.
VARIANT=${VARIANT:-}
OBJ_NAME=obj${VARIANT:+-$VARIANT}
OBJ=$SRC/$OBJ_NAME
MODULES=$OUT/modules${VARIANT:+-$VARIANT}
# What the tests make of a kernel variant (initramfs, console logs,
# results) lives apart from the default kernel's, so that one variant's
# run never leaves its modules in another's initramfs. The assembled tree,
# the model, the stock kernel and the selftest binaries are shared.
VOUT=$OUT${VARIANT:+/$VARIANT}
mkdir -p "$VOUT"
RESULTS=$VOUT/results.txt
JOBS=${JOBS:-$(($(nproc) + 1))}

# One locale for every caller: ccache keys on LANG and LC_*, and compiler
# messages stay in English for the log parsers.
export LANG=C.UTF-8
unset LC_ALL LC_CTYPE LC_MESSAGES

if [ -d /usr/lib/ccache ] && [ -z "${SNP_NO_CCACHE:-}" ]; then
	export PATH=/usr/lib/ccache:$PATH
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
fi

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# What in a guest's console log means the kernel went wrong: warnings, oopses,
# lockdep, RCU, UBSAN and KASAN reports. Any match fails an L2 test.
DMESG_BAD='WARNING:|BUG:|Oops|general protection fault|Kernel panic|kernel BUG|'
DMESG_BAD+='possible circular locking|possible recursive locking|inconsistent lock state|'
DMESG_BAD+='suspicious RCU usage|UBSAN:|KASAN:|Call Trace:'

# no_reuse WHY: this level's results depend on something outside the clone
# that was missing (an archive out of reach): make check must run it again
# next time even when nothing changed (see level in check.sh).
no_reuse() {
	mkdir -p "$VOUT/reuse"
	printf '%s\n' "$1" >"$VOUT/reuse/no-reuse"
}

# dmesg_bad FILE: the lines of FILE (a console log or a dmesg) that match
# DMESG_BAD, less the reports harness/dmesg-accepted.txt accepts: a report
# whose first line matches an accepted pattern is dropped with the lines
# after it, up to the end of its stack trace ("</TASK>", "---[ end trace"),
# the next report or the start of the dmesg dump. Like grep, it succeeds
# when it printed a line and fails when nothing is left: if bad=$(dmesg_bad
# F); then <report bad>; fi. When the scan itself fails (a missing file, a
# malformed allow list) it prints why and succeeds: never a clean log.
dmesg_bad() {
	local out
	if ! out=$(awk -v bad="$DMESG_BAD" '
		FILENAME == ARGV[1] {
			if ($0 ~ /^[[:space:]]*(#|$)/) next
			if (index($0, "\t") < 2) {
				print "malformed line " FNR " (PATTERN<tab>REASON) in " FILENAME
				err = 1; exit 2
			}
			acc[substr($0, 1, index($0, "\t") - 1)] = 1
			next
		}
		/^DMESG-BEGIN$/ { skip = 0 }
		skip && /<\/TASK>|---\[ end trace/ { skip = 0; next }
		$0 ~ bad && $0 !~ /Call Trace:/ { skip = 0 }
		skip { next }
		$0 ~ bad {
			for (p in acc) if ($0 ~ p) { skip = 1; next }
			print
		}
		END { if (err) exit 2 }
	' "$HARNESS/dmesg-accepted.txt" "$1" 2>&1); then
		printf 'dmesg_bad: cannot scan %s: %s\n' "$1" "${out:-awk failed}"
		return 0
	fi
	[ -n "$out" ] || return 1
	printf '%s\n' "$out"
}

# result STATUS LEVEL NAME [DETAIL]: one line per test, also kept in $RESULTS
# for the summary that make check prints last.
result() {
	local line="$1 $2 $3${4:+ - $4}"
	mkdir -p "$VOUT"
	printf '%s\n' "$line"
	printf '%s\n' "$line" >>"$RESULTS"
}

# series_patches: patches/series in order, one patch a line as
# FOLDER/NAME.patch relative to patches/; comments and blank lines dropped.
series_patches() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's/^[[:space:]]*//' -e '/^$/d' \
		"$TOP/patches/series"
}

# src_settled ADVICE...: die unless $SRC is free of work in progress (a
# rebase or git am under way, uncommitted edits to tracked files); ADVICE
# says what to do about edits.
src_settled() {
	local d
	for d in rebase-merge rebase-apply; do
		[ ! -e "$SRC/.git/$d" ] || die "$SRC is in the middle of a rebase or git am;" \
			"finish it (or abort it), run 'make refresh-patches', then make again."
	done
	if [ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]; then
		git -C "$SRC" status --short --untracked-files=no | head -n 20 >&2
		die "$SRC has uncommitted edits to tracked files." "$@"
	fi
}

# render_patch COMMIT: a commit of $SRC as the file patches/ keeps for it.
# The options are pinned so that the text depends on the commit alone, not
# on the user's git configuration; --zero-commit keeps a rebase from
# rewriting the first line of every later patch.
render_patch() {
	git -C "$SRC" -c core.abbrev=12 -c diff.noprefix=false -c diff.mnemonicPrefix=false \
		-c diff.renames=false -c diff.algorithm=myers -c format.signature= \
		format-patch --stdout --zero-commit --no-signature --no-numbered --no-thread \
		--no-cover-letter --no-notes --no-attach --subject-prefix=PATCH -1 "$1"
}

# patch_name COMMIT: the file name of a commit's patch: its subject as git
# format-patch makes a name of it, without the number (patches/series keeps
# the order) and not cut short (subjects are at most 75 characters).
patch_name() {
	printf '%s.patch\n' "$(git -C "$SRC" log -1 --format=%f "$1")"
}

# newest_version PACKAGE: the newest version of PACKAGE the archives offer.
newest_version() {
	apt-cache madison "$1" 2>/dev/null | awk '{print $3}' | sort -V | tail -n 1
}

# newest_stock_package: the linux-image package that Debian's
# linux-image-6.12-amd64 meta-package depends on today.
newest_stock_package() {
	apt-cache depends linux-image-6.12-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1
}

# fetch_pinned DIR PACKAGE VERSION SHA256 NEWEST: the path of PACKAGE's
# .deb at VERSION in DIR, downloaded with apt-get when it is not there and
# checked against SHA256. When the archive no longer has it, dies saying so
# and naming NEWEST (what to re-pin to).
fetch_pinned() {
	local dir=$1 pkg=$2 ver=$3 sha=$4 newest=$5 deb tmp
	deb=$(find "$dir" -maxdepth 1 -name "${pkg}_${ver/:/%3a}_*.deb" 2>/dev/null | head -n 1 || true)
	if [ -z "$deb" ] || [ ! -f "$deb" ] || [ "$(sha256sum <"$deb" | cut -d' ' -f1)" != "$sha" ]; then
		mkdir -p "$dir"
		tmp=$(mktemp -d "$dir/dl.XXXXXX")
		if ! (cd "$tmp" && apt-get download -q "$pkg=$ver" >/dev/null 2>"$tmp/err"); then
			# The package lists may just be stale: refresh once and retry.
			[ "$(id -u)" = 0 ] && { apt-get update -q >/dev/null 2>&1 || true; }
			if ! (cd "$tmp" && apt-get download -q "$pkg=$ver" >/dev/null 2>"$tmp/err"); then
				cat "$tmp/err" >&2
				rm -rf "$tmp"
				# apt still lists it: the archive is out of reach.
				apt-cache show "$pkg=$ver" >/dev/null 2>&1 &&
					die "downloading pinned $pkg $ver failed (the archive lists it)"
				die "pinned $pkg $ver is not in the archive any more;" \
					"newest available: ${newest:-unknown}." \
					"Re-pin with 'make repin' and commit the new pin."
			fi
		fi
		deb=$dir/$(basename "$tmp"/*.deb)
		mv "$tmp"/*.deb "$deb"
		rm -rf "$tmp"
		[ "$(sha256sum <"$deb" | cut -d' ' -f1)" = "$sha" ] || {
			rm -f "$deb"
			die "checksum mismatch for $pkg $ver: the archive's file is not the pinned $sha"
		}
	fi
	echo "$deb"
}

kmake() {
	make -C "$SRC" O="$OBJ_NAME" ARCH=x86_64 "$@"
}

# build_series_selftests LOG NAME...: build the KVM selftests NAME (paths
# under tools/testing/selftests/kvm/) of the assembled tree, static, into
# $OUT/selftests-kvm; the make output goes to LOG. The selftests' Makefile
# tracks no header dependencies, so the binaries are dropped when anything
# they are built from changed: the installed uAPI headers, tools/ of the
# assembled tree (the selftests, their library, tools/include, rseq) or
# the compiler. Prints why and fails when they cannot be built.
build_series_selftests() {
	local log=$1 bins=$OUT/selftests-kvm stamp name targets=()
	shift
	if [ ! -f "$SRC/tools/testing/selftests/kvm/Makefile" ]; then
		echo "no KVM selftests in $SRC (run make first)"
		return 1
	fi
	if ! kmake -s headers_install >"$log" 2>&1; then
		echo "headers_install failed, log: $log"
		return 1
	fi
	stamp=$({
		(cd "$OBJ" && find usr/include -type f -print0 | sort -z | xargs -0 sha256sum)
		git -C "$SRC" rev-parse HEAD:tools
		git -C "$SRC" status --porcelain -- tools
		gcc --version | head -n 1
	} | sha256sum | cut -c1-32) || { echo "cannot read what the selftests are built from"; return 1; }
	[ "$(cat "$bins/.headers" 2>/dev/null)" = "$stamp" ] || rm -rf "$bins"
	mkdir -p "$bins"
	for name in "$@"; do targets+=("$bins/$name"); done
	if ! make -C "$SRC/tools/testing/selftests/kvm" OUTPUT="$bins" \
		KHDR_INCLUDES="-isystem $OBJ/usr/include" EXTRA_CFLAGS=-static \
		-j"$JOBS" "${targets[@]}" >"$log" 2>&1; then
		{ grep -E 'error|No rule' "$log" || true; } | head -n 20 >&2
		echo "build failed, log: $log"
		return 1
	fi
	echo "$stamp" >"$bins/.headers"
}

# snp_lines CONSOLE-LOG: the kernel's own lines about SNP from the dmesg
# dump the L2 init prints at the end, without timestamps.
snp_lines() {
	dmesg_dump "$1" | grep -E 'SEV-SNP' || true
}

# A python3 that has the cryptography module (OpenSSL underneath): the one
# on PATH if it has it, else Debian's, which install-deps.sh gives
# python3-cryptography.
crypto_python() {
	if python3 -c 'import cryptography' 2>/dev/null; then
		echo python3
	else
		echo /usr/bin/python3
	fi
}

# The helpers of the levels that boot guests and parse their output.
# shellcheck source=guest.sh
. "$HARNESS/bin/guest.sh"
