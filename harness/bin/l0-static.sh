#!/usr/bin/env bash
# L0: static checks. checkpatch --strict on every patch of the series
# (the files in patches/, which "make series" exports unchanged), then
# sparse and a W=1 build of every directory with C code the series adds or
# changes; only findings on lines the series adds count.
. "$(dirname "$0")/lib.sh"

accepted=$HARNESS/checkpatch-accepted.txt

# --- checkpatch ---------------------------------------------------------
while read -r name; do
	mail=$TOP/patches/$name
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
done < <(series_patches)

# --- kernel-doc ---------------------------------------------------------
# The C files and headers the series adds: kernel-doc must parse them
# without warnings, and every exported function needs a kernel-doc comment.
mapfile -t newsrc < <(git -C "$SRC" diff --name-only --diff-filter=A base..HEAD -- '*.c' '*.h' |
	grep -Ev '^(tools|Documentation|scripts|samples)/' || true)
if [ ${#newsrc[@]} -eq 0 ]; then
	result SKIP L0 kernel-doc "the series adds no kernel C file yet"
else
	kdoc=$(cd "$SRC" && scripts/kernel-doc -none "${newsrc[@]}" 2>&1 || true)
	undoc=$(cd "$SRC" && for f in "${newsrc[@]}"; do
		sed -n 's/^EXPORT_SYMBOL\(_GPL\)\?(\([a-z0-9_]*\));$/\2/p' "$f" | while read -r fn; do
			grep -q "^ \* $fn() - " "$f" || echo "$f: $fn() is exported without kernel-doc"
		done
	done)
	if [ -n "$kdoc$undoc" ]; then
		printf '%s\n' "$kdoc" "$undoc" | sed '/^$/d; s/^/    /' >&2
		result FAIL L0 kernel-doc "$(printf '%s\n' "$kdoc" "$undoc" | sed '/^$/d' | wc -l) finding(s)"
	else
		result PASS L0 kernel-doc "${#newsrc[@]} new file(s), exported functions documented"
	fi
fi

# --- documentation ------------------------------------------------------
# Build the Sphinx subtree of every document the series changes; warnings
# about those documents fail.
mapfile -t rsts < <(git -C "$SRC" diff --name-only --diff-filter=AM base..HEAD -- \
	'Documentation/*/*.rst')
if [ ${#rsts[@]} -eq 0 ]; then
	result SKIP L0 htmldocs "the series changes no documentation"
fi
for top in $(printf '%s\n' "${rsts[@]}" | cut -d/ -f2 | sort -u); do
	log "htmldocs: Documentation/$top"
	rc=0
	mkdir -p "$SRC/obj-docs"
	make -C "$SRC" O=obj-docs SPHINXDIRS="$top" htmldocs >"$SRC/obj-docs/log-$top" 2>&1 || rc=$?
	ours=$(grep -E 'WARNING|ERROR|SEVERE|CRITICAL' "$SRC/obj-docs/log-$top" |
		grep -F "$(printf '%s\n' "${rsts[@]}" | grep "^Documentation/$top/")" || true)
	if [ $rc -ne 0 ]; then
		tail -n 10 "$SRC/obj-docs/log-$top" >&2
		result FAIL L0 "htmldocs:$top" "sphinx failed (make rc=$rc), log: $SRC/obj-docs/log-$top"
	elif [ -n "$ours" ]; then
		printf '%s\n' "$ours" | sed 's/^/    /' >&2
		result FAIL L0 "htmldocs:$top" "$(printf '%s\n' "$ours" | wc -l) warning(s) in documents the series changes"
	else
		result PASS L0 "htmldocs:$top" "$(printf '%s\n' "${rsts[@]}" | grep -c "^Documentation/$top/") document(s), no warnings"
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

# Directories the kernel builds only with an option of ours (see
# arch/x86/Kbuild); building them by name in a config without it would
# compile code the kernel never includes.
gated_dirs="arch/x86/virt/svm:X86_SNP_HOST"
dir_enabled() {
	local config=$1 d=$2 g
	for g in $gated_dirs; do
		[ "${g%%:*}" = "$d" ] || continue
		grep -q "^CONFIG_${g#*:}=y" "$config" || return 1
	done
	return 0
}

# The W=1 builds start from the test kernel's config without the debug
# options (VARIANT=nodebug, as the per-patch build proof): KASAN's
# instrumentation only makes them slower.
VARIANT=nodebug "$HARNESS/bin/config.sh"
nodebug_config=$SRC/obj-nodebug/.config

# w1_build OBJDIR NAME SPARSE: configure OBJDIR from that config with the
# options given after it turned off, then build each directory with W=1
# (and sparse when SPARSE is 1).
w1_build() {
	local objdir=$1 label=$2 sparse=$3 o d rc ours
	shift 3
	local dir=$SRC/$objdir
	mkdir -p "$dir"
	if ! cmp -s "$nodebug_config" "$dir/.config.src" || ! [ -f "$dir/.config" ]; then
		cp "$nodebug_config" "$dir/.config"
		cp "$nodebug_config" "$dir/.config.src"
		# Upstream KVM is not W=1 clean; see warnings as warnings and keep ours.
		"$SRC/scripts/config" --file "$dir/.config" --disable KVM_WERROR --disable WERROR
		for o in "$@"; do "$SRC/scripts/config" --file "$dir/.config" --disable "$o"; done
		make -C "$SRC" O="$objdir" ARCH=x86_64 -s olddefconfig >/dev/null
		for o in "$@"; do
			if grep -q "^CONFIG_$o=" "$dir/.config"; then
				result FAIL L0 "$label" "CONFIG_$o is still set after olddefconfig"
				return
			fi
		done
	fi
	# Our own objects always recompile so their warnings show again
	# (ccache replays them cheaply).
	for f in "${cfiles[@]}"; do rm -f "$dir/${f%.c}.o"; done
	for d in $dirs; do
		if ! dir_enabled "$dir/.config" "$d"; then
			log "$label: $d/ is compiled out in this configuration"
			continue
		fi
		log "$label: $d/"
		rc=0
		make -C "$SRC" O="$objdir" ARCH=x86_64 -j"$JOBS" W=1 \
			$([ "$sparse" = 1 ] && echo C=2) "$d/" >"$dir/log" 2>&1 || rc=$?
		ours=$(python3 "$HARNESS/bin/added-lines.py" "$SRC" <"$dir/log")
		if [ $rc -ne 0 ] && [ -z "$ours" ]; then
			{ grep -E 'error' "$dir/log" || true; } | head -n 10 >&2
			result FAIL L0 "$label:$d/" "build failed (make rc=$rc), log: $dir/log"
		elif [ -n "$ours" ]; then
			printf '%s\n' "$ours" | sed 's/^/    /' >&2
			result FAIL L0 "$label:$d/" "$(printf '%s\n' "$ours" | wc -l) finding(s) on lines the series adds"
		else
			result PASS L0 "$label:$d/"
		fi
	done
}

w1_build obj-w1 sparse-w1 1
# The series has to build warning-free without KVM's SEV support and
# without memory encryption, where the SNP host code is compiled out.
w1_build obj-nosev w1-no-kvm-amd-sev 0 KVM_AMD_SEV
w1_build obj-nomemenc w1-no-amd-mem-encrypt 0 AMD_MEM_ENCRYPT
