#!/usr/bin/env bash
# L2: build the KVM selftests (static) from the assembled tree, boot the test
# kernel in QEMU TCG with nested SVM (-cpu EPYC-Milan), load ccp, kvm and
# kvm_amd, run the selftests of harness/l2/kvm-selftests.list inside that
# guest and report each; fail on any WARN, BUG, oops or lockdep report.
. "$(dirname "$0")/lib.sh"

list=$HARNESS/l2/kvm-selftests.list
bins=$OUT/selftests-kvm
log_file=$OUT/l2-console.log
runlist=$OUT/l2-run.list
modellist=$OUT/l2-model.list

grep -E '^run ' "$list" | cut -d' ' -f2- >"$runlist"
grep -E '^model ' "$list" | cut -d' ' -f2- >"$modellist" || true

# --- build ----------------------------------------------------------------
log "building the KVM selftests (static)"
kmake -s headers_install >/dev/null
targets=()
while read -r name _; do targets+=("$bins/$name"); done < <(cat "$runlist" "$modellist")
if ! make -C "$SRC/tools/testing/selftests/kvm" OUTPUT="$bins" \
	KHDR_INCLUDES="-isystem $OBJ/usr/include" EXTRA_CFLAGS=-static \
	-j"$JOBS" "${targets[@]}" >"$OUT/selftests-build.log" 2>&1; then
	grep -E 'error' "$OUT/selftests-build.log" | head -n 20 >&2
	result FAIL L2 selftests-build "log: $OUT/selftests-build.log"
	exit 0
fi
result PASS L2 selftests-build "${#targets[@]} programs"

# --- boot and run ---------------------------------------------------------
"$HARNESS/bin/l2-initramfs.sh" "$runlist" "$bins" "$modellist"
log "booting $(kmake -s kernelrelease) in QEMU TCG (-cpu ${QEMU_CPU:-EPYC-Milan}) and running ${#targets[@]} selftests"
# Each test has its own timeout inside the guest; this one only catches a
# hung guest kernel. The whole list takes about 80 s.
secs=${L2_TIMEOUT:-600}
start=$(date +%s)
rc=0
"$HARNESS/bin/qemu-boot.sh" "$OBJ/arch/x86/boot/bzImage" "$OUT/l2-initramfs.cpio.gz" \
	"$log_file" "$secs" || rc=$?
log "L2 guest ran for $(($(date +%s) - start)) s"
tr -d '\r' <"$log_file" >"$log_file.txt"
console=$log_file.txt

if ! grep -q '^L2-BOOTED' "$console"; then
	tail -n 30 "$console" >&2
	result FAIL L2 boot "the kernel did not reach /init (qemu rc=$rc), log: $console"
	exit 0
fi
result PASS L2 boot "$(sed -n 's/^L2-BOOTED //p' "$console")"
for m in ccp kvm kvm_amd; do
	if grep -q "^L2-MODULE $m ok" "$console"; then
		result PASS L2 "modprobe:$m"
	else
		result FAIL L2 "modprobe:$m" "modprobe failed, log: $console"
	fi
done

# One result per selftest. The guest prints "L2-BEGIN name", the output,
# then "L2-END name rc=N"; rc 4 is kselftest's "skip".
while read -r name _; do
	out=$(awk -v s="L2-BEGIN $name" -v e="L2-END $name rc=" '
		$0 == s { p = 1; next } index($0, e) == 1 { print; exit } p { print }' "$console")
	end=$(printf '%s\n' "$out" | tail -n 1)
	took=${end##* secs=}
	case "$end" in
	"L2-END $name rc=0 "*) result PASS L2 "selftest:$name" "$took s" ;;
	"L2-END $name rc=4 "*)
		why=$(printf '%s\n' "$out" | grep -iE 'skip|requir|not supported' | head -n 1 |
			sed 's/^1\.\.0 # SKIP - //' | xargs)
		result SKIP L2 "selftest:$name" "${why:-the test skipped itself}" ;;
	"L2-END $name rc="*)
		printf '%s\n' "$out" | head -n 20 | sed 's/^/    /' >&2
		code=${end##*rc=}
		# kvm selftests print the failed assertion after this banner.
		what=$(printf '%s\n' "$out" | grep -A1 'Test Assertion Failure' | sed -n 2p | xargs || true)
		result FAIL L2 "selftest:$name" "exit code ${code%% *}${what:+: $what}" ;;
	*)
		result FAIL L2 "selftest:$name" "did not finish (guest crashed or timed out), log: $console" ;;
	esac
done <"$runlist"

# Tests the baseline cannot pass here are listed with their reason.
while read -r name _; do
	result SKIP L2 "selftest:$name" "not run here: needs what the SNP platform model adds to QEMU's CPU (L3 runs it there)"
done <"$modellist"
grep -E '^known ' "$list" | while read -r _ name why; do
	result SKIP L2 "selftest:$name" "not run: $why"
done

# --- leaks ------------------------------------------------------------------
# Only when the guest ran the whole list (not in the boot-only checks).
if grep -q '^L2-TESTS-END' "$console"; then
	if ! grep -q '^L2-KMEMLEAK-END' "$console"; then
		result SKIP L2 leaks:kmemleak "the test kernel has no kmemleak"
	elif n=$(sed -n '/^L2-KMEMLEAK-BEGIN/,/^L2-KMEMLEAK-END/p' "$console" |
		grep -c 'unreferenced object') && [ "$n" -gt 0 ]; then
		sed -n '/^L2-KMEMLEAK-BEGIN/,/^L2-KMEMLEAK-END/p' "$console" | head -n 40 | sed 's/^/    /' >&2
		result FAIL L2 leaks:kmemleak "$n unreferenced objects after the selftests, log: $console"
	else
		result PASS L2 leaks:kmemleak "no unreferenced object after the selftests"
	fi
fi

# --- dmesg ------------------------------------------------------------------
# Everything the kernel printed, from the serial console and the final dump.
if ! grep -q '^L2-DMESG-END' "$console"; then
	result FAIL L2 dmesg "the guest did not finish (qemu rc=$rc); see $console"
elif bad=$(grep -E "$DMESG_BAD" "$console"); then
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/    /' >&2
	result FAIL L2 dmesg "kernel warnings or oopses in the guest, log: $console"
else
	result PASS L2 dmesg "no WARN, BUG, oops or lockdep report"
fi
