#!/usr/bin/env bash
# L3: unit tests of the SNP platform model's own code, on the build machine
# (no VM, no QEMU build): the launch digest of src/hw/i386/snp-launch-digest.c,
# built with tests/launch-digest/ld-tool.c into out/model-unit/ld-tool and
# compared by tests/launch-digest/test_launch_digest.py with an independent
# Python implementation, itself checked against the facts sheet's worked
# examples; and the guest-request and report code of
# src/hw/i386/snp-fw-attest.c, built with tests/attest/attest-tool.c and
# checked by tests/attest/test_attest.py against OpenSSL (AES-256-GCM both
# ways, the report signature with the test VCEK, the test certificate
# chain); and the model's pure rules - the RMP table across a machine
# reset and the host write check (src/target/i386/snp-rmp-table.c), the
# addresses in platform command buffers (src/hw/i386/snp-fw-buf.c), what
# the firmware requires of every CPU before SNP_INIT, DF_FLUSH and
# SNP_SHUTDOWN (src/hw/i386/snp-fw-rules.c) - built with
# tests/rules/rules-test.c, which checks them itself. All print KTAP;
# one result per case: model:unit:<case>.
. "$(dirname "$0")/lib.sh"

model=$TOP/tools/testing/snp-platform
unit=$model/tests/launch-digest
dir=$OUT/model-unit
tool=$dir/ld-tool
mkdir -p "$dir"

if ! gcc -O2 -Wall -Werror -I"$model/src/hw/i386" -o "$tool" "$unit/ld-tool.c" \
	"$model/src/hw/i386/snp-launch-digest.c" "$model/src/hw/i386/snp-fw-crypto.c" \
	-lhogweed -lnettle -lgmp 2>"$dir/cc.err"; then
	result FAIL L3 model:unit:build "ld-tool does not build: $(grep -m1 -E 'error|cannot find' "$dir/cc.err" || head -n 1 "$dir/cc.err")"
	exit 0
fi

# run_cases LABEL COMMAND...: one result per test of the KTAP the command
# prints.
run_cases() {
	local label=$1 rc=0 parsed cases
	shift
	"$@" >"$dir/$label.log" 2>"$dir/$label.err" || rc=$?
	parsed=$(ktap --prefix model:unit: "$dir/$label.log")
	ktap_report L3 "$parsed"
	cases=$(grep -cE '^(PASS|FAIL|SKIP)' <<<"$parsed" || true)
	# A crash of the test itself, or an exit status its results do not explain.
	if [ "$cases" = 0 ] || { [ "$rc" != 0 ] && ! grep -q '^FAIL' <<<"$parsed"; }; then
		result FAIL L3 "model:unit:$label" "$label exited $rc after $cases cases: $(tail -n 1 "$dir/$label.err")"
	fi
}

run_cases launch-digest python3 "$unit/test_launch_digest.py" --ld-tool "$tool"

# --- the RMP table, command-buffer addresses, the firmware's CPU rules -------
if gcc -O2 -Wall -Werror -I"$model/src/target/i386" -I"$model/src/hw/i386" \
	-o "$dir/rules-test" "$model/tests/rules/rules-test.c" \
	"$model/src/target/i386/snp-rmp-table.c" "$model/src/hw/i386/snp-fw-buf.c" \
	"$model/src/hw/i386/snp-fw-rules.c" 2>"$dir/rules-cc.err"; then
	run_cases rules "$dir/rules-test"
else
	result FAIL L3 model:unit:rules-build "rules-test does not build: $(grep -m1 -E 'error|cannot find' "$dir/rules-cc.err" || head -n 1 "$dir/rules-cc.err")"
fi

# --- guest requests and reports -------------------------------------------
attest=$model/tests/attest
keys=$OUT/model/keys
if ! "$model/make-test-keys.sh" "$keys" 2>"$dir/keys.err"; then
	result FAIL L3 model:unit:test-keys "make-test-keys.sh failed: $(tail -n 1 "$dir/keys.err")"
	exit 0
fi
if ! gcc -O2 -Wall -Werror -I"$model/src/hw/i386" -o "$dir/attest-tool" \
	"$attest/attest-tool.c" "$model/src/hw/i386/snp-fw-attest.c" \
	"$model/src/hw/i386/snp-fw-crypto.c" \
	-lhogweed -lnettle -lgmp 2>"$dir/attest-cc.err"; then
	result FAIL L3 model:unit:attest-build "attest-tool does not build: $(grep -m1 -E 'error|cannot find' "$dir/attest-cc.err" || head -n 1 "$dir/attest-cc.err")"
	exit 0
fi
run_cases attest "$(crypto_python)" "$attest/test_attest.py" "$dir/attest-tool" "$keys"
