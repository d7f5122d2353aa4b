#!/usr/bin/env bash
# L3: boot the test kernel on the SNP platform model (our QEMU build, see
# tools/testing/snp-platform/) and check that the kernel finds an SNP host:
# CPUID, the SNP MSRs, the RMP table the model's BIOS reserved, and an AMD
# IOMMU with SNP. Parts of the platform the model does not have yet are
# reported as SKIP with the reason.
. "$(dirname "$0")/lib.sh"

t=$SECONDS
if "$TOP/tools/testing/snp-platform/build.sh" 2>"$OUT/model-build.err"; then
	result PASS L3 model:build "$((SECONDS - t)) s"
else
	result FAIL L3 model:build "$(grep -m1 '^ERROR:' "$OUT/model-build.err" | cut -c8- || true)"
	exit 0
fi

l2_initrd=$OUT/l2-initramfs.cpio.gz
if [ ! -f "$l2_initrd" ]; then
	result FAIL L3 model:boot "no initramfs: l2-selftests.sh did not build $l2_initrd"
	exit 0
fi
# The L2 initramfs plus /tests/snp-platform-status (/dev/sev's
# SNP_PLATFORM_STATUS), which the L2 init runs when it is there: the
# kernel unpacks concatenated archives one after the other.
extra=$OUT/l3-extra
rm -rf "$extra"
mkdir -p "$extra/tests"
if ! status_prog=$(test_prog snp-platform-status 2>"$OUT/l3-status-cc.err"); then
	result FAIL L3 model:boot "snp-platform-status.c does not build: $(cat "$OUT/l3-status-cc.err")"
	exit 0
fi
cp "$status_prog" "$extra/tests/snp-platform-status"
initrd=$OUT/l3-initramfs.cpio.gz
pack_initramfs "$extra" "$OUT/l3-extra.cpio.gz"
cat "$l2_initrd" "$OUT/l3-extra.cpio.gz" >"$initrd"

# The nested-SVM selftests that depend on what the model adds to QEMU's
# SVM (NRIP save, decode assists): they run in a KVM guest of the kernel
# on the model, from the L2 initramfs.
nested=(x86_64/svm_nested_soft_inject_test x86_64/svm_vmcall_test
	x86_64/svm_int_ctl_test x86_64/hyperv_svm_test x86_64/state_test)
log "booting the test kernel on the SNP platform model"
log_file=$OUT/l3-model.log
t=$SECONDS rc=0
# KUnit is off in the test kernel unless asked for: run the suite that
# executes RMPUPDATE and PSMASH, which needs an SNP host.
fw_log=$OUT/l3-model-fw.log
rm -f "$fw_log"
MODEL_PSP_OPTS="digest-log=$fw_log" QEMU_MODEL=1 \
	KERNEL_ARGS="l2.only=$(IFS=,; echo "${nested[*]}") kunit.enable=1 kunit.filter_glob=rmp_live l2.unload" \
	"$HARNESS/bin/qemu-boot.sh" "$OBJ/arch/x86/boot/bzImage" "$initrd" \
	"$log_file" "${L3_TIMEOUT:-300}" || rc=$?
tr -d '\r' <"$log_file" >"$log_file.txt"
console=$log_file.txt
if ! grep -q '^L2-DMESG-END' "$console"; then
	result FAIL L3 model:boot "the kernel did not finish booting (qemu rc=$rc), log: $console"
	exit 0
fi
result PASS L3 model:boot "$((SECONDS - t)) s to boot and power off"

# The kernel's own SNP lines, from before the rmp_live KUnit suite, which
# provokes RMPUPDATE failures and a leaked page on purpose.
sed '/# Subtest: rmp_live/,$d' "$console" >"$console.boot"
snp=$(snp_lines "$console.boot" | grep '^SEV-SNP:' || true)
if [ "$(printf '%s\n' "$snp" | wc -l)" = 1 ] &&
	[[ "$snp" =~ ^SEV-SNP:\ host\ support\ enabled:\ RMP\ table\ 0x[0-9a-f]+-0x[0-9a-f]+\ covers\ 2048\ MiB$ ]]; then
	result PASS L3 model:snp-host "$snp"
else
	printf '    got:\n%s\n' "$(printf '%s\n' "$snp" | sed 's/^/      /')" >&2
	result FAIL L3 model:snp-host "the kernel did not enable SNP on the model, log: $console"
fi

if grep -qx 'L2-SNP-STATUS enabled' "$console"; then
	result PASS L3 model:debugfs-status "enabled"
else
	result FAIL L3 model:debugfs-status \
		"$(grep '^L2-SNP-STATUS' "$console" || echo 'no status line'), log: $console"
fi

# With SNP on, the RMP entry of pfn 0 reads back (hypervisor-owned).
if grep -q '^L2-SNP-RMP-ENTRY pfn: *0x0' "$console"; then
	result PASS L3 model:debugfs-rmp-entry "$(grep -m1 '^L2-SNP-RMP-ENTRY' "$console" | cut -c18-)"
else
	result FAIL L3 model:debugfs-rmp-entry \
		"$(grep '^L2-SNP-RMP-ENTRY' "$console" || echo 'no rmp_entry line'), log: $console"
fi

if grep -E "$DMESG_BAD" "$console" >&2; then
	result FAIL L3 model:dmesg "kernel warnings or oopses, log: $console"
else
	result PASS L3 model:dmesg "no WARN, BUG, oops or lockdep report"
fi

# kvm_amd finds what SEV needs in the model's SVM (it prints nothing when
# nrips or the decode assists are missing, and warns for the latter).
if sev=$(grep -m1 -E '^\[[ 0-9.]+\] SEV enabled \(ASIDs' "$console") &&
	es=$(grep -m1 -E '^\[[ 0-9.]+\] SEV-ES enabled \(ASIDs' "$console"); then
	result PASS L3 model:kvm-sev "${sev#*] }; ${es#*] }"
else
	result FAIL L3 model:kvm-sev "kvm_amd did not enable SEV and SEV-ES on the model, log: $console"
fi

# The rmp_live KUnit cases, from the KTAP lines in the dmesg dump.
ktap=$(sed -n '/# Subtest: rmp_live/,/ok [0-9]* - rmp_live/p' "$console" | sed 's/^\[[ 0-9.]*\] *//')
if [ -z "$ktap" ]; then
	result FAIL L3 model:rmp-live "no rmp_live KUnit results in the log: $console"
fi
while read -r ok _ dash case rest; do
	[ "$ok" = ok ] || [ "$ok" = not ] || continue
	[ "$ok" = not ] && { case=$rest; result FAIL L3 "model:rmp-live:${case%% *}" "KUnit case failed, log: $console"; continue; }
	[ "$dash" = - ] || { rest="$case $rest"; case=$dash; }
	[ "$case" = rmp_live ] && continue
	if [[ "$rest" == *"# SKIP"* ]]; then
		result FAIL L3 "model:rmp-live:$case" "skipped on the model: ${rest#*# SKIP }"
	else
		result PASS L3 "model:rmp-live:$case"
	fi
done <<<"$ktap"
if bad=$(printf '%s\n' "$ktap" | grep -E '^ *# .*(Expected|ASSERT|EXPECT)'); then
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/    /' >&2
fi

for name in "${nested[@]}"; do
	end=$(grep -m1 "^L2-END $name rc=" "$console" || true)
	case "$end" in
	"L2-END $name rc=0 "*) result PASS L3 "model:nested:$name" "${end##* secs=} s" ;;
	"")
		result FAIL L3 "model:nested:$name" "did not run or did not finish, log: $console" ;;
	*)
		result FAIL L3 "model:nested:$name" "${end#L2-END "$name" }, log: $console" ;;
	esac
done

# Our ccp driver on the model's PSP: SNP_INIT_EX at probe, then legacy
# SEV next to it, and /dev/sev reports an initialised RMP.
boot_dmesg=$(sed -n 's/^\[ *[0-9.]*\] //p' "$console.boot")
fw=$(grep -m1 -E '^ccp [0-9a-f:.]+: SEV-SNP API:[0-9]+\.[0-9]+ build:[0-9]+$' <<<"$boot_dmesg" || true)
sev=$(grep -m1 -E '^ccp [0-9a-f:.]+: SEV API:' <<<"$boot_dmesg" || true)
if [ -n "$fw" ] && [ -n "$sev" ]; then
	result PASS L3 model:psp-snp-init "${fw#ccp * }; ${sev#ccp * }"
else
	result FAIL L3 model:psp-snp-init "ccp did not initialise SNP and SEV on the model's PSP, log: $console"
fi
st=$(grep -m1 '^L2-SNP-STATUS api' "$console" | cut -c4- || true)
if grep -qx 'L2-PLATFORM-STATUS rc=0' "$console" &&
	[[ "$st " =~ \ state\ 1\ rmp_initialized\ 1\  ]]; then
	result PASS L3 model:platform-status "$st"
else
	result FAIL L3 model:platform-status "${st:-no SNP-STATUS line} ($(grep -m1 '^L2-PLATFORM-STATUS' "$console" || echo 'not run')), log: $console"
fi

# At the end the init unloaded kvm_amd and unbound the PSP from ccp: our
# driver shut legacy SEV and SNP down and took its pages back (rmp_live
# leaked one page on purpose before; no more may follow), the IOMMU's
# logs too, which the firmware had taken at SNP_INIT (its log says how
# many pages).
leaked_before=$(grep -m1 '^L2-SNP-LEAKED-BEFORE' "$console" | cut -d' ' -f2- || true)
leaked_after=$(grep -m1 '^L2-SNP-LEAKED ' "$console" | cut -d' ' -f2- || true)
down=$(sed -n 's/^\[ *[0-9.]*\] //p' "$console" | grep -m1 -E '^ccp [0-9a-f:.]+: SEV-SNP: firmware shut down$' || true)
iommu_pages=$(sed -n 's/^snp-init iommu-log-pages=//p' "$fw_log" 2>/dev/null | head -n 1)
if grep -q '^L2-UNBIND .* ok$' "$console" && [ -n "$down" ] &&
	[ -n "$leaked_before" ] && [ "$leaked_before" = "$leaked_after" ] &&
	[ "${iommu_pages:-0}" -gt 0 ] && ! grep -q 'IOMMU logs still firmware-owned' "$console"; then
	result PASS L3 model:psp-shutdown "${down#ccp * }; $iommu_pages IOMMU log pages given back; leaked pages $leaked_after before and after"
else
	result FAIL L3 model:psp-shutdown "$(grep -m1 '^L2-UNBIND' "$console" || echo 'no unbind'); ${down:-no 'firmware shut down' line}; IOMMU log pages ${iommu_pages:-?}; leaked ${leaked_before:-?} -> ${leaked_after:-?}, log: $console"
fi

# fi_boot NAME OPTS: boot (boot checks only, then the unload of the PSP
# driver) with the PSP's fault injection OPTS; sets fi_log (the console),
# fi_dmesg (the kernel's lines) and rc.
fi_boot() {
	log "booting the test kernel on the model with $2"
	fi_log=$OUT/l3-model-$1.log
	rc=0
	MODEL_PSP_OPTS=$2 QEMU_MODEL=1 KERNEL_ARGS="l2.bootonly l2.unload" \
		"$HARNESS/bin/qemu-boot.sh" "$OBJ/arch/x86/boot/bzImage" "$initrd" \
		"$fi_log" "${L3_TIMEOUT:-300}" || rc=$?
	tr -d '\r' <"$fi_log" >"$fi_log.txt"
	fi_log=$fi_log.txt
	fi_dmesg=$(sed -n '/^L2-DMESG-BEGIN/,/^L2-DMESG-END/p' "$fi_log" |
		sed -n 's/^\[ *[0-9.]*\] //p')
}

# The driver's error paths, with the firmware model's fault injection.
# SNP_INIT_EX (0x85) fails with RMP_INITIALIZATION_FAILED (0x26): SNP must
# stay off, legacy SEV come up, and nothing warn.
fi_boot initfail fail-cmd=0x85,fail-status=0x26,fail-count=1
err=$(grep -m1 'SEV-SNP: firmware not initialised' <<<"$fi_dmesg" || true)
st=$(grep -m1 '^L2-SNP-STATUS api' "$fi_log" | cut -c4- || true)
if [ -n "$err" ] && [[ "$err" == *"status 0x26"* ]] &&
	grep -q -E '^ccp [0-9a-f:.]+: SEV API:' <<<"$fi_dmesg" &&
	[[ "$st " =~ \ state\ 0\  ]] && ! grep -qE "$DMESG_BAD" "$fi_log"; then
	result PASS L3 model:psp-init-failure "${err#ccp * }; $st"
else
	result FAIL L3 model:psp-init-failure "${err:-no 'firmware not initialised' line}; ${st:-no status} (qemu rc=$rc), log: $fi_log"
fi

# The first SNP_PAGE_RECLAIM (0xc7) fails: that of SNP_PLATFORM_STATUS's
# firmware-owned page. /dev/sev must answer EIO, not stale data, and the
# page must be leaked and reported, never reused.
fi_boot reclaimfail fail-cmd=0xc7,fail-status=0x1a,fail-count=1
st=$(grep -m1 -E '^L2-SNP-STATUS (api|error)' "$fi_log" | cut -c4- || true)
leak=$(grep -m1 -E '^SEV-SNP: leaked 1 page\(s\) at PFN 0x[0-9a-f]+, 1 in total$' <<<"$fi_dmesg" || true)
if [[ "$st" == *"errno 5 (Input/output error)"* ]] && [ -n "$leak" ] &&
	grep -qx 'L2-PLATFORM-STATUS rc=1' "$fi_log" && ! grep -qE "$DMESG_BAD" "$fi_log"; then
	result PASS L3 model:psp-reclaim-failure "${st#SNP-STATUS }; $leak"
else
	result FAIL L3 model:psp-reclaim-failure "${st:-no status line}; ${leak:-no leak report} (qemu rc=$rc), log: $fi_log"
fi

# The shutdown paths. SNP_SHUTDOWN_EX answers DFFLUSH_REQUIRED once: the
# driver flushes and retries, and SNP goes down.
fi_boot dfflush fail-cmd=0x86,fail-status=0xf,fail-count=1
down=$(grep -m1 -E '^ccp [0-9a-f:.]+: SEV-SNP: firmware shut down$' <<<"$fi_dmesg" || true)
if [ -n "$down" ] && ! grep -q 'SNP_SHUTDOWN_EX failed' <<<"$fi_dmesg" &&
	! grep -qE "$DMESG_BAD" "$fi_log"; then
	result PASS L3 model:psp-shutdown-dfflush-retry "${down#ccp * } after DFFLUSH_REQUIRED"
else
	result FAIL L3 model:psp-shutdown-dfflush-retry "${down:-no 'firmware shut down' line} (qemu rc=$rc), log: $fi_log"
fi

# SNP_SHUTDOWN_EX fails: SNP stays up, and the driver says so and gives
# nothing back that the firmware may still own.
fi_boot shutdownfail fail-cmd=0x86,fail-status=0x1,fail-count=1
err=$(grep -m1 'SNP_SHUTDOWN_EX failed' <<<"$fi_dmesg" || true)
if [ -n "$err" ] && grep -q 'the SNP firmware stays initialised' <<<"$fi_dmesg" &&
	! grep -q 'SEV-SNP: firmware shut down' <<<"$fi_dmesg" &&
	! grep -qE "$DMESG_BAD" "$fi_log"; then
	result PASS L3 model:psp-shutdown-failure "$err; the SNP firmware stays initialised"
else
	result FAIL L3 model:psp-shutdown-failure "${err:-no 'SNP_SHUTDOWN_EX failed' line} (qemu rc=$rc), log: $fi_log"
fi

# The first SNP_PAGE_RECLAIM of the shutdown fails (the two before it give
# back the pages of /dev/sev's SNP and legacy PLATFORM_STATUS): that page is
# leaked and reported, and the shutdown goes on.
fi_boot tmrfail fail-cmd=0xc7,fail-status=0x1a,fail-skip=2,fail-count=1
leaked_before=$(grep -m1 '^L2-SNP-LEAKED-BEFORE' "$fi_log" | cut -d' ' -f2- || true)
leaked_after=$(grep -m1 '^L2-SNP-LEAKED ' "$fi_log" | cut -d' ' -f2- || true)
err=$(grep -m1 'SNP_PAGE_RECLAIM of pfn' <<<"$fi_dmesg" || true)
if [ -n "$err" ] && [ "$leaked_before" = "total: 0" ] && [ "$leaked_after" = "total: 1" ] &&
	grep -q 'SEV-SNP: firmware shut down' <<<"$fi_dmesg" &&
	! grep -qE "$DMESG_BAD" "$fi_log"; then
	result PASS L3 model:psp-shutdown-reclaim-failure "${err#SEV-SNP: }; leaked pages ${leaked_before#total: } -> ${leaked_after#total: }; SNP shut down"
else
	result FAIL L3 model:psp-shutdown-reclaim-failure "${err:-no reclaim failure}; leaked ${leaked_before:-?} -> ${leaked_after:-?} (qemu rc=$rc), log: $fi_log"
fi
