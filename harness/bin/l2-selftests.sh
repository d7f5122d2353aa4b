#!/usr/bin/env bash
# L2: build the KVM selftests (static) from the assembled tree, boot the test
# kernel in QEMU TCG with nested SVM (-cpu EPYC-Milan), load ccp, kvm and
# kvm_amd, run the selftests of harness/l2/kvm-selftests.list inside that
# guest and report each; fail on any WARN, BUG, oops or lockdep report.
. "$(dirname "$0")/lib.sh"

list=$HARNESS/l2/kvm-selftests.list
bins=$OUT/selftests-kvm
log_file=$VOUT/l2-console.log
runlist=$VOUT/l2-run.list
modellist=$VOUT/l2-model.list

{
	grep -E '^(run|clock) ' "$list" | cut -d' ' -f2- || true
	[ "$VARIANT" != nodebug ] || grep -E '^nodebug ' "$list" | cut -d' ' -f2,3 || true
} >"$runlist"
grep -E '^model ' "$list" | cut -d' ' -f2- >"$modellist" || true

# --- build ----------------------------------------------------------------
log "building the KVM selftests (static)"
targets=()
while read -r name _; do targets+=("$name"); done < <(cat "$runlist" "$modellist")
if ! why=$(build_series_selftests "$OUT/selftests-build.log" "${targets[@]}"); then
	result FAIL L2 selftests-build "$why"
	exit 0
fi
result PASS L2 selftests-build "${#targets[@]} programs"

# --- boot and run ---------------------------------------------------------
# Without SNP support in QEMU's EPYC-Milan, debugfs must say why SNP is off.
"$HARNESS/bin/l2-initramfs.sh" "$runlist" "$bins" "$modellist" \
	"disabled: CPU does not support SEV-SNP"
log "booting $(kmake -s kernelrelease) in QEMU TCG (-cpu ${QEMU_CPU:-EPYC-Milan}) and running ${#targets[@]} selftests"
# Each test has its own timeout inside the guest; this one only catches a
# hung guest kernel. The whole list takes about 80 s.
secs=${L2_TIMEOUT:-600}
start=$(date +%s)
rc=0
"$HARNESS/bin/qemu-boot.sh" "$OBJ/arch/x86/boot/bzImage" "$VOUT/l2-initramfs.cpio.gz" \
	"$log_file" "$secs" || rc=$?
log "L2 guest ran for $(($(date +%s) - start)) s"
console=$(console_text "$log_file")

# The init's KTAP: boot, the modules, one result per selftest (exit status
# 4 is kselftest's "skip"), kmemleak.
booted=$(ktap_detail "$(ktap "$console")" boot)
if [ -z "$booted" ]; then
	tail -n 30 "$console" >&2
	result FAIL L2 boot "the kernel did not reach /init (qemu rc=$rc), log: $console"
	exit 0
fi
result PASS L2 boot "$booted"
ktap_results L2 --match modprobe: --prefix modprobe: --expect ccp --expect kvm \
	--expect kvm_amd --missing "did not run, log: $console" "$console"
ktap_results L2 --match 'selftests: kvm: ' --prefix selftest: --expect-file "$runlist" \
	--missing "did not finish (guest crashed or timed out), log: $console" "$console"

# Tests the baseline cannot pass here are listed with their reason.
while read -r name _; do
	result SKIP L2 "selftest:$name" "not run here: needs what the SNP platform model adds to QEMU's CPU (L3 runs it there)"
done <"$modellist"
grep -E '^known ' "$list" | while read -r _ name why; do
	result SKIP L2 "selftest:$name" "not run: $why"
done
{ grep -E '^upstream ' "$list" || true; } | while read -r _ name _; do
	if grep -qE "^$name " "$HARNESS/upstream/expected"; then
		result SKIP L2 "selftest:$name" "not run here: upstream 6.12's version runs on this kernel at the upstream level"
	else
		result FAIL L2 "selftest:$name" "listed as upstream, but harness/upstream/expected does not run it"
	fi
done
if [ "$VARIANT" != nodebug ]; then
	{ grep -E '^nodebug ' "$list" || true; } | while read -r _ name _ why; do
		result SKIP L2 "selftest:$name" "not run on the debug kernel: $why"
	done
fi

# --- leaks ------------------------------------------------------------------
# When the guest got that far.
ktap_results L2 --match kmemleak --prefix leaks:kmemleak "$console"

# --- dmesg ------------------------------------------------------------------
# Everything the kernel printed, from the serial console and the final dump.
if ! dmesg_done "$console"; then
	result FAIL L2 dmesg "the guest did not finish (qemu rc=$rc); see $console"
elif bad=$(dmesg_bad "$console"); then
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/    /' >&2
	result FAIL L2 dmesg "kernel warnings or oopses in the guest, log: $console"
else
	result PASS L2 dmesg "no WARN, BUG, oops or lockdep report"
fi
