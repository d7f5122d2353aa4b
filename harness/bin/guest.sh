# shellcheck shell=bash
# Helpers of the test levels that boot guests (L2, L3): console logs, the
# dmesg dump, initramfs archives, the test programs of the SNP platform
# model and the results of their KTAP output; sourced by lib.sh.

# console_text LOG: the serial console LOG without carriage returns, in
# LOG.txt; prints that file's name.
console_text() {
	tr -d '\r' <"$1" >"$1.txt"
	printf '%s\n' "$1.txt"
}

# dmesg_dump CONSOLE: the kernel log the initramfs printed between its
# DMESG-BEGIN and DMESG-END lines (harness/initramfs/ktap.sh), without
# timestamps. dmesg_done CONSOLE: whether the init got that far.
dmesg_dump() {
	sed -n '/^DMESG-BEGIN$/,/^DMESG-END$/p' "$1" | strip_timestamps
}
dmesg_done() { grep -q '^DMESG-END$' "$1"; }
# strip_timestamps: kernel log lines (standard input) without "[  1.23] ";
# other lines are dropped.
strip_timestamps() { sed -n 's/^\[ *[0-9.]*\] //p'; }

# pack_initramfs DIR OUT: the tree DIR as a gzip'd newc cpio archive OUT.
pack_initramfs() {
	(cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) >"$2"
}

# copy_libs BINARY ROOT: the shared libraries BINARY needs (ldd), with the
# dynamic loader, into the same paths under ROOT.
copy_libs() {
	local lib
	for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
		mkdir -p "$2/${lib%/*}"
		cp -L "$lib" "$2/$lib"
	done
}

# test_prog NAME: build tools/testing/snp-platform/tests/NAME.c static (with
# kselftest.h of the assembled tree) into out/snp-tests/NAME, once per
# content of the source and the headers; prints the binary's path, or the
# first compiler error on standard error and fails.
test_prog() {
	local src=$TOP/tools/testing/snp-platform/tests/$1.c dir=$OUT/snp-tests
	local bin=$dir/$1 inc=$SRC/tools/testing/selftests sum
	mkdir -p "$dir"
	sum=$(cat "$src" "${src%/*}"/*.h "$inc/kselftest.h" 2>/dev/null | sha256sum | cut -d' ' -f1)
	if [ ! -x "$bin" ] || [ "$(cat "$bin.sum" 2>/dev/null)" != "$sum" ]; then
		rm -f "$bin" "$bin.sum"
		if ! gcc -static -O2 -Wall -Werror -I"$inc" -o "$bin.tmp" "$src" 2>"$dir/$1.err"; then
			grep -m1 'error' "$dir/$1.err" >&2 || head -n 1 "$dir/$1.err" >&2
			return 1
		fi
		strip "$bin.tmp"
		mv "$bin.tmp" "$bin"
		printf '%s\n' "$sum" >"$bin.sum"
	fi
	printf '%s\n' "$bin"
}

# ktap [OPTIONS] FILE: the results of the KTAP in FILE (harness/bin/ktap.py,
# the one parser of test output), one "STATUS<tab>NAME<tab>DETAIL" a line.
ktap() {
	python3 "$HARNESS/bin/ktap.py" "$@"
}

# ktap_results LEVEL [OPTIONS] FILE: report every result of the KTAP in FILE.
ktap_results() {
	local level=$1 parsed
	shift
	parsed=$(ktap "$@") || die "ktap.py failed on $*"
	ktap_report "$level" "$parsed"
}

# ktap_report LEVEL PARSED: report every result of PARSED (ktap's output).
ktap_report() {
	local st name detail
	while IFS=$'\t' read -r st name detail; do
		case $st in PASS | FAIL | SKIP) result "$st" "$1" "$name" "$detail" ;; esac
	done <<<"$2"
}

# ktap_get PARSED NAME: "STATUS<tab>DETAIL" of the test NAME in PARSED (the
# output of ktap), empty when it has none. ktap_status and ktap_detail
# print one of the two.
ktap_get() {
	awk -F '\t' -v n="$2" '$2 == n && $1 != "DIAG" { print $1 "\t" $3; exit }' <<<"$1"
}
ktap_status() { ktap_get "$1" "$2" | cut -f1; }
ktap_detail() { ktap_get "$1" "$2" | cut -f2-; }

# pack_modules MODDIR ROOT NAME...: the modules NAME... of the module tree
# MODDIR (which has a modules.dep), each after what it needs, in the order
# modprobe would load them, into ROOT/lib/modules/, and their load order
# into ROOT/modules.load ("name path" lines, for insmod); a module built
# into the kernel (modules.builtin) is left out. A modules.dep line
# lists the users first, so dependencies are loaded from the last one.
# Compressed modules are unpacked: busybox insmod takes plain .ko files.
pack_modules() {
	local moddir=$1 root=$2 m
	shift 2
	local -A packed=()
	: >"$root/modules.load"
	_pack_one() {
		local file=$1 name plain
		[ -z "${packed[$file]:-}" ] || return 0
		packed[$file]=1
		plain=${file%.xz}
		plain=${plain%.zst}
		plain=${plain%.gz}
		mkdir -p "$root/lib/modules/$(dirname "$plain")"
		case $file in
		*.xz) xz -dc "$moddir/$file" ;;
		*.zst) zstd -qdc "$moddir/$file" ;;
		*.gz) gzip -dc "$moddir/$file" ;;
		*) cat "$moddir/$file" ;;
		esac >"$root/lib/modules/$plain"
		name=$(basename "$plain" .ko)
		printf '%s %s\n' "${name//-/_}" "$plain" >>"$root/modules.load"
	}
	for m in "$@"; do
		local line deps i
		line=$(awk -v want="${m//_/-}" '{
			n = $1; sub(/:$/, "", n); sub(/.*\//, "", n)
			sub(/\.ko(\.(xz|zst|gz))?$/, "", n); gsub(/_/, "-", n)
			if (n == want) { print; exit }
		}' "$moddir/modules.dep")
		# Built in: nothing to load.
		[ -n "$line" ] || ! grep -qE "/${m//[-_]/[-_]}\.ko\$" "$moddir/modules.builtin" 2>/dev/null ||
			continue
		if [ -z "$line" ]; then
			echo "ERROR: $moddir has no module $m in modules.dep" >&2
			return 1
		fi
		read -ra deps <<<"${line#*:}"
		for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
			_pack_one "${deps[i]}"
		done
		_pack_one "${line%%:*}"
	done
}
