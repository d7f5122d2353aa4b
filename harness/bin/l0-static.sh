#!/usr/bin/env bash
# L0: static checks. checkpatch --strict on every patch of the exported
# series, then sparse and a W=1 build of every directory with C code the
# series adds or changes; only findings on lines the series adds count.
. "$(dirname "$0")/lib.sh"

accepted=$HARNESS/checkpatch-accepted.txt

# --- checkpatch ---------------------------------------------------------
for mail in "$OUT"/series/*.patch; do
	name=$(basename "$mail")
	[ "$name" = 0000-cover-letter.patch ] && continue
	out=$(cd "$SRC" && scripts/checkpatch.pl --strict --show-types --no-summary \
		--quiet "$mail" 2>&1 || true)
	bad="" ok=""
	while IFS= read -r line; do
		[[ $line =~ ^(ERROR|WARNING|CHECK):([A-Z0-9_]+): ]] || continue
		sev=${BASH_REMATCH[1]} type=${BASH_REMATCH[2]}
		if [ "$sev" != ERROR ] && awk -v n="$name" -v t="$type" '
			/^#/ || NF < 3 { next }
			{ g = $1; gsub(/\./, "\\.", g); gsub(/\*/, ".*", g); gsub(/\?/, ".", g) }
			n ~ ("^" g "$") && $2 == t { found = 1 }
			END { exit !found }' "$accepted"; then
			ok="$ok $type"
		else
			bad="$bad $sev:$type"
		fi
	done <<<"$out"
	if [ -n "$bad" ]; then
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		result FAIL L0 "checkpatch:$name" "checkpatch --strict:$bad"
	else
		result PASS L0 "checkpatch:$name" "${ok:+accepted (harness/checkpatch-accepted.txt):$ok}"
	fi
done

# --- sparse and W=1 -----------------------------------------------------
mapfile -t cfiles < <(git -C "$SRC" diff --name-only --diff-filter=AM base..HEAD -- '*.c' |
	grep -Ev '^(tools|Documentation|scripts|samples)/' || true)
if [ ${#cfiles[@]} -eq 0 ]; then
	result SKIP L0 sparse-w1 "the series changes no kernel C file yet"
	exit 0
fi
# Build the kbuild directory (the nearest one with a Makefile) of each file:
# arch/x86/kvm/svm/sev.c is built through arch/x86/kvm/Makefile.
kbuild_dir() {
	local d
	d=$(dirname "$1")
	while [ "$d" != . ] && [ ! -f "$SRC/$d/Makefile" ] && [ ! -f "$SRC/$d/Kbuild" ]; do
		d=$(dirname "$d")
	done
	echo "$d"
}
dirs=$(for f in "${cfiles[@]}"; do kbuild_dir "$f"; done | sort -u)

W1=$SRC/obj-w1
mkdir -p "$W1"
if ! cmp -s "$OBJ/.config" "$W1/.config.src"; then
	cp "$OBJ/.config" "$W1/.config"
	cp "$OBJ/.config" "$W1/.config.src"
	# Upstream KVM is not W=1 clean; see warnings as warnings and keep ours.
	"$SRC/scripts/config" --file "$W1/.config" --disable KVM_WERROR --disable WERROR
	make -C "$SRC" O=obj-w1 ARCH=x86_64 -s olddefconfig >/dev/null
fi
# Our own objects always recompile so their warnings show again (ccache
# replays them cheaply).
for f in "${cfiles[@]}"; do rm -f "$W1/${f%.c}.o"; done
for d in $dirs; do
	log "sparse + W=1: $d/"
	rc=0
	make -C "$SRC" O=obj-w1 ARCH=x86_64 -j"$JOBS" W=1 C=2 "$d/" >"$W1/log" 2>&1 || rc=$?
	ours=$(python3 "$HARNESS/bin/added-lines.py" "$SRC" <"$W1/log")
	if [ $rc -ne 0 ] && [ -z "$ours" ]; then
		grep -E 'error' "$W1/log" | head -n 10 >&2
		result FAIL L0 "sparse-w1:$d/" "build failed (make rc=$rc), log: $W1/log"
	elif [ -n "$ours" ]; then
		printf '%s\n' "$ours" | sed 's/^/    /' >&2
		result FAIL L0 "sparse-w1:$d/" "$(printf '%s\n' "$ours" | wc -l) finding(s) on lines the series adds"
	else
		result PASS L0 "sparse-w1:$d/"
	fi
done
