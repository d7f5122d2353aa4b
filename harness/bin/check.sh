#!/usr/bin/env bash
# make check: build, export and verify the series, then run every test level
# that exists (L0 static, L1 KUnit, L2 nested KVM, L3 platform model,
# upstream 6.12's selftests on the model). One line per test; the
# last line is "N passed, N failed, N skipped"; exit 1 on any failure.
. "$(dirname "$0")/lib.sh"

mkdir -p "$OUT"
: >"$RESULTS"
t0=$(date +%s)
summary() {
	local p f s r
	p=$(grep -c '^PASS ' "$RESULTS" || true)
	f=$(grep -c '^FAIL ' "$RESULTS" || true)
	s=$(grep -c '^SKIP ' "$RESULTS" || true)
	if [ "$f" -gt 0 ]; then
		echo
		echo "Failed:"
		grep '^FAIL ' "$RESULTS"
	fi
	log "make check took $(($(date +%s) - t0)) s"
	r=$(grep -c ' \[not run again: same inputs as the run of [^]]*\]$' "$RESULTS" || true)
	[ "$r" = 0 ] || echo "($r of these results are repeated from earlier runs with the same inputs; SNP_RERUN=1 runs them again)"
	echo "$p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}

# stage NAME COMMAND...: a step the tests need; when it fails, it is
# reported as a failed test and the levels after it are not run.
stage() {
	local name=$1 t=$SECONDS
	shift
	# Progress shows as it happens; the error output is kept for the
	# result line.
	if "$@" 2> >(tee "$OUT/$name.err" >&2); then
		result PASS L0 "$name" "$((SECONDS - t)) s"
	else
		sleep 1 # let tee finish writing
		result FAIL L0 "$name" "$(grep -m1 '^ERROR:' "$OUT/$name.err" | cut -c8- || true)"
		summary
		exit 1
	fi
}

# inputs_key: what every test level's results depend on: the content of
# the clone (every file git does not ignore, committed or not), the kernel
# the levels boot (bzImage, modules), the platform model's binary, the
# variant and the settings the scripts read from the environment, and the
# Debian packages the levels run (QEMU, firmware, busybox, compiler, libc,
# python). Computed after the build, so a rebuilt kernel changes it. Fails
# when the clone's content cannot be read: then nothing is reused.
inputs_key() {
	local idx tree
	idx=$(mktemp)
	rm -f "$idx"
	tree=$(cd "$TOP" && { cp "$(git rev-parse --git-path index)" "$idx" 2>/dev/null || true; } &&
		GIT_INDEX_FILE=$idx git add -A . && GIT_INDEX_FILE=$idx git write-tree) || tree=""
	rm -f "$idx"
	[ -n "$tree" ] || return 1
	{
		echo "$tree ${VARIANT:-default}"
		env | grep -E '^(QEMU_|MODEL_|L[23]_TIMEOUT|UPSTREAM_|KERNEL_ARGS|JOBS)' | sort || true
		dpkg-query -W -f '${Package} ${Version}\n' qemu-system-x86 qemu-system-data \
			seabios busybox-static gcc libc6-dev python3 2>/dev/null || true
		sha256sum "$OBJ/arch/x86/boot/bzImage" "$OUT/model/build/qemu-system-x86_64" 2>&1
		(cd "$MODULES" 2>/dev/null && find . -type f -name '*.ko' -print0 | sort -z | xargs -0 -r sha256sum)
	} | sha256sum | cut -c1-32
}

# level NAME SCRIPT...: run one test level and record how long it took in
# out/timings.txt (the README's budget table is made from these). A level
# that boots kernels (REUSE=1 before the call) and whose last run had the
# same inputs (inputs_key), no failure and no skip for want of something
# outside the clone (no_reuse in lib.sh) is not run again in the same
# clone: its results are repeated, each marked as such; SNP_RERUN=1 runs
# every level. A fresh clone (CI) always runs everything.
level() {
	local name=$1 t=$SECONDS key="" saved=$VOUT/reuse/$1 before when
	shift
	if [ "${REUSE:-}" = 1 ]; then
		mkdir -p "$VOUT/reuse"
		key=$(inputs_key) || key=""
		if [ -z "${SNP_RERUN:-}" ] && [ -n "$key" ] &&
			[ "$(cat "$saved.key" 2>/dev/null)" = "$key" ] && [ -s "$saved.results" ] &&
			! grep -q '^FAIL ' "$saved.results"; then
			when=$(date -r "$saved.results" '+%Y-%m-%d %H:%M')
			log "$name: same inputs as its run of $when, which had no failure; not run again (SNP_RERUN=1 runs it)"
			sed "s/\$/ [not run again: same inputs as the run of $when]/" "$saved.results" |
				tee -a "$RESULTS"
			printf '%s %d reused\n' "$name" "$((SECONDS - t))" >>"$VOUT/timings.txt"
			return
		fi
		rm -f "$saved.key" "$VOUT/reuse/no-reuse"
	fi
	before=$(wc -l <"$RESULTS")
	"$@"
	printf '%s %d\n' "$name" "$((SECONDS - t))" >>"$VOUT/timings.txt"
	log "$name took $((SECONDS - t)) s"
	if [ -n "$key" ] && [ ! -e "$VOUT/reuse/no-reuse" ]; then
		tail -n +"$((before + 1))" "$RESULTS" >"$saved.results"
		echo "$key" >"$saved.key"
	fi
}

: >"$VOUT/timings.txt"
level build stage build "$HARNESS/bin/build.sh"
level series stage series "$HARNESS/bin/series.sh" --build
level L0-static "$HARNESS/bin/l0-static.sh"
# The model is built before the first level whose inputs include it (a
# failure shows in L3-model's model:build).
level model-build "$TOP/tools/testing/snp-platform/build.sh" || true
REUSE=1 level L1-kunit "$HARNESS/bin/l1-kunit.sh"
REUSE=1 level L2-selftests "$HARNESS/bin/l2-selftests.sh"
REUSE=1 level L2-snp-host "$HARNESS/bin/l2-snp-host.sh"
REUSE=1 level L3-model-unit "$HARNESS/bin/l3-model-unit.sh"
REUSE=1 level L3-model "$HARNESS/bin/l3-model.sh"
REUSE=1 level L3-stock "$HARNESS/bin/l3-stock.sh"
REUSE=1 level upstream "$HARNESS/bin/upstream-selftests.sh"
summary
