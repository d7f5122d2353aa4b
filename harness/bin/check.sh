#!/usr/bin/env bash
# make check: build, export and verify the series, then run every test level
# that exists (L0 static, L1 KUnit, L2 nested KVM, L3 platform model). One line per test; the
# last line is "N passed, N failed, N skipped"; exit 1 on any failure.
. "$(dirname "$0")/lib.sh"

mkdir -p "$OUT"
: >"$RESULTS"
t0=$(date +%s)
summary() {
	local p f s
	p=$(grep -c '^PASS ' "$RESULTS" || true)
	f=$(grep -c '^FAIL ' "$RESULTS" || true)
	s=$(grep -c '^SKIP ' "$RESULTS" || true)
	if [ "$f" -gt 0 ]; then
		echo
		echo "Failed:"
		grep '^FAIL ' "$RESULTS"
	fi
	log "make check took $(($(date +%s) - t0)) s"
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

# level NAME SCRIPT...: run one test level and record how long it took in
# out/timings.txt (the README's budget table is made from these).
level() {
	local name=$1 t=$SECONDS
	shift
	"$@"
	printf '%s %d\n' "$name" "$((SECONDS - t))" >>"$VOUT/timings.txt"
	log "$name took $((SECONDS - t)) s"
}

: >"$VOUT/timings.txt"
level build stage build "$HARNESS/bin/build.sh"
level series stage series "$HARNESS/bin/series.sh" --build
level L0-static "$HARNESS/bin/l0-static.sh"
level L1-kunit "$HARNESS/bin/l1-kunit.sh"
level L2-selftests "$HARNESS/bin/l2-selftests.sh"
level L2-snp-host "$HARNESS/bin/l2-snp-host.sh"
level L3-model-unit "$HARNESS/bin/l3-model-unit.sh"
level L3-model "$HARNESS/bin/l3-model.sh"
level L3-stock "$HARNESS/bin/l3-stock.sh"
summary
