#!/usr/bin/env bash
# L3: boot the test kernel on the SNP platform model (our QEMU build, see
# tools/testing/snp-platform/) and check that the kernel finds an SNP host:
# CPUID, the SNP MSRs, the RMP table the model's BIOS reserved, and an AMD
# IOMMU with SNP, and that it keeps the firmware's rules about every CPU
# (model:rule:NAME). Parts of the platform the model does not have yet are
# reported as SKIP with the reason.
. "$(dirname "$0")/lib.sh"

t=$SECONDS
if "$TOP/tools/testing/snp-platform/build.sh" 2>"$OUT/model-build.err"; then
	result PASS L3 model:build "$((SECONDS - t)) s"
else
	result FAIL L3 model:build "$(grep -m1 '^ERROR:' "$OUT/model-build.err" | cut -c8- || true)"
	exit 0
fi

l2_initrd=$VOUT/l2-initramfs.cpio.gz
if [ ! -f "$l2_initrd" ]; then
	result FAIL L3 model:boot "no initramfs: l2-selftests.sh did not build $l2_initrd"
	exit 0
fi
# The L2 initramfs plus /tests/snp-platform-status (/dev/sev's
# SNP_PLATFORM_STATUS), which the L2 init runs when it is there, and the
# SNP status debugfs must show here: the kernel unpacks concatenated
# archives one after the other, so later files replace earlier ones.
extra=$VOUT/l3-extra
rm -rf "$extra"
mkdir -p "$extra/tests"
if ! status_prog=$(test_prog snp-platform-status 2>"$VOUT/l3-status-cc.err"); then
	result FAIL L3 model:boot "snp-platform-status.c does not build: $(cat "$VOUT/l3-status-cc.err")"
	exit 0
fi
cp "$status_prog" "$extra/tests/snp-platform-status"
# /dev/sev's answers to wrong requests; stock-eval.sh compares them with
# stock 6.12's.
if ! errors_prog=$(test_prog dev-sev-errors 2>"$VOUT/l3-errors-cc.err"); then
	result FAIL L3 model:boot "dev-sev-errors.c does not build: $(cat "$VOUT/l3-errors-cc.err")"
	exit 0
fi
cp "$errors_prog" "$extra/tests/dev-sev-errors"
echo enabled >"$extra/tests/expect-snp-status"
initrd=$VOUT/l3-initramfs.cpio.gz
pack_initramfs "$extra" "$VOUT/l3-extra.cpio.gz"
cat "$l2_initrd" "$VOUT/l3-extra.cpio.gz" >"$initrd"

# The nested-SVM selftests that depend on what the model adds to QEMU's
# SVM (NRIP save, decode assists): they run in a KVM guest of the kernel
# on the model, from the L2 initramfs.
nested=(x86_64/svm_nested_soft_inject_test x86_64/svm_vmcall_test
	x86_64/svm_int_ctl_test x86_64/hyperv_svm_test x86_64/state_test)
# The kdump boot's initramfs (harness/l3-kdump/init): busybox, kexec with
# its libraries, snp-platform-status; the first kernel's copy adds the
# kernel and that same archive as the crash kernel's under /kdump.
kd=$VOUT/l3-kdump-root
rm -rf "$kd"
mkdir -p "$kd"/{bin,sbin,dev,proc,sys,tmp,tests,lib,kdump}
cp /bin/busybox "$kd/bin/busybox"
install -m 755 "$HARNESS/l3-kdump/init" "$kd/init"
cp "$HARNESS/initramfs/ktap.sh" "$kd/lib/"
cp "$status_prog" "$kd/tests/snp-platform-status"
if ! kexec=$(command -v kexec || command -v /usr/sbin/kexec); then
	result FAIL L3 model:kdump "no kexec here (harness/bin/install-deps.sh installs kexec-tools)"
	kd=""
else
	cp "$kexec" "$kd/sbin/kexec"
	copy_libs "$kexec" "$kd"
	mkdir -p "$VOUT/l3-kdump-outer/kdump"
	pack_initramfs "$kd" "$VOUT/l3-kdump-outer/kdump/initrd.cpio.gz"
	cp "$OBJ/arch/x86/boot/bzImage" "$VOUT/l3-kdump-outer/kdump/bzImage"
	pack_initramfs "$VOUT/l3-kdump-outer" "$VOUT/l3-kdump-extra.cpio.gz"
	cat "$VOUT/l3-kdump-outer/kdump/initrd.cpio.gz" "$VOUT/l3-kdump-extra.cpio.gz" \
		>"$VOUT/l3-kdump.cpio.gz"
fi

# fi_start NAME OPTS [INITRD ARGS]: boot (boot checks only, then the unload
# of the PSP driver; or INITRD with kernel arguments ARGS) with the PSP's
# fault injection OPTS, in the background. TCG runs a guest in one host
# thread, so two boots at a time use both cores; never more, so that no
# guest runs slower than alone.
declare -A fi_pid
fi_start() {
	log "booting the test kernel on the model with ${2:-${4:-}}"
	MODEL_PSP_OPTS=$2 QEMU_MODEL=1 KERNEL_ARGS=${4:-"l2.bootonly l2.unload"} \
		"$HARNESS/bin/qemu-boot.sh" "$OBJ/arch/x86/boot/bzImage" "${3:-$initrd}" \
		"$VOUT/l3-model-$1.log" "${L3_TIMEOUT:-300}" &
	fi_pid[$1]=$!
}
# fi_wait NAME: wait for that boot; sets fi_log (the console), fi_dmesg
# (the kernel's lines), fi_ktap (the init's results) and rc.
fi_wait() {
	rc=0
	wait "${fi_pid[$1]}" || rc=$?
	fi_log=$(console_text "$VOUT/l3-model-$1.log")
	fi_dmesg=$(dmesg_dump "$fi_log")
	fi_ktap=$(ktap --all "$fi_log")
}
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

# The first fault-injection boot runs next to this one.
fi_start initfail fail-cmd=0x85,fail-status=0x26,fail-count=1
log "booting the test kernel on the SNP platform model"
log_file=$VOUT/l3-model.log
t=$SECONDS rc=0
# KUnit is off in the test kernel unless asked for: run the suite that
# executes RMPUPDATE and PSMASH, which needs an SNP host. Every CPU comes
# out of reset with MSR_VM_HSAVE_PA set (stale-hsave), as a hypervisor
# that ran before may leave it: SNP_INIT fails unless the kernel clears it.
fw_log=$VOUT/l3-model-fw.log
rm -f "$fw_log"
MODEL_PSP_OPTS="digest-log=$fw_log,stale-hsave=0x100000" QEMU_MODEL=1 \
	KERNEL_ARGS="l2.only=$(IFS=,; echo "${nested[*]}") kunit.enable=1 kunit.filter_glob=snp_rmp_live l2.unload" \
	"$HARNESS/bin/qemu-boot.sh" "$OBJ/arch/x86/boot/bzImage" "$initrd" \
	"$log_file" "${L3_TIMEOUT:-300}" || rc=$?
console=$(console_text "$log_file")
if ! dmesg_done "$console"; then
	result FAIL L3 model:boot "the kernel did not finish booting (qemu rc=$rc), log: $console"
	exit 0
fi
result PASS L3 model:boot "$((SECONDS - t)) s to boot and power off"

# The kernel's own SNP lines, from before the snp_rmp_live KUnit suite, which
# provokes RMPUPDATE failures and a leaked page on purpose.
sed '/# Subtest: snp_rmp_live/,$d' "$console" >"$console.boot"
snp=$(snp_lines "$console.boot" | grep '^SEV-SNP:' || true)
if [ "$(printf '%s\n' "$snp" | wc -l)" = 1 ] &&
	[[ "$snp" =~ ^SEV-SNP:\ host\ support\ enabled:\ RMP\ table\ 0x[0-9a-f]+-0x[0-9a-f]+\ covers\ 2048\ MiB$ ]]; then
	result PASS L3 model:snp-host "$snp"
else
	printf '    got:\n%s\n' "$(printf '%s\n' "$snp" | sed 's/^/      /')" >&2
	result FAIL L3 model:snp-host "the kernel did not enable SNP on the model, log: $console"
fi

# The init's KTAP (ktap.py): debugfs reports SNP enabled, and the RMP
# entry of pfn 0 reads back (hypervisor-owned).
parsed=$(ktap --all "$console")
ktap_results L3 --match debugfs- --prefix model:debugfs- --expect status \
	--expect rmp-entry --missing "not checked, log: $console" "$console"

# An SNP host refuses suspend to RAM (the init tries it with pm_test "core"),
# and says so.
s=$(ktap_get "$parsed" suspend-refused)
refused=$(strip_timestamps <"$console" | grep -m1 '^SEV-SNP: suspend refused' || true)
case "${s%%$'\t'*}" in
PASS)
	if [ -n "$refused" ]; then
		result PASS L3 model:suspend-refused "${s#*$'\t'}; $refused"
	else
		result FAIL L3 model:suspend-refused "refused without the 'SEV-SNP: suspend refused' line, log: $console"
	fi ;;
SKIP) result SKIP L3 model:suspend-refused "${s#*$'\t'}" ;;
*) result FAIL L3 model:suspend-refused "${s:+${s#*$'\t'}}${s:+, }log: $console" ;;
esac

if dmesg_bad "$console" >&2; then
	result FAIL L3 model:dmesg "kernel warnings or oopses, log: $console"
else
	result PASS L3 model:dmesg "no WARN, BUG, oops or lockdep report"
fi

# kvm_amd finds what SEV needs in the model's SVM (it prints nothing when
# nrips or the decode assists are missing, and warns for the latter).
dmesg_dump "$console" >"$VOUT/l3-model-dmesg.txt"
if sev=$(grep -m1 -E '^SEV enabled \(ASIDs' "$VOUT/l3-model-dmesg.txt") &&
	es=$(grep -m1 -E '^SEV-ES enabled \(ASIDs' "$VOUT/l3-model-dmesg.txt"); then
	result PASS L3 model:kvm-sev "$sev; $es"
else
	result FAIL L3 model:kvm-sev "kvm_amd did not enable SEV and SEV-ES on the model, log: $console"
fi

# The snp_rmp_live KUnit cases, from the KTAP in the dmesg dump; a skipped
# case fails: the model is an SNP host.
ktap_results L3 --subtest snp_rmp_live --prefix model:rmp-live: --name model:rmp-live \
	--skip-is-fail "skipped on the model" "$VOUT/l3-model-dmesg.txt"

# The nested-SVM selftests, as the init reports them; skipped is failed.
expect=()
for name in "${nested[@]}"; do expect+=(--expect "$name"); done
ktap_results L3 --match 'selftests: kvm: ' --prefix model:nested: "${expect[@]}" \
	--skip-is-fail "skipped" --missing "did not run or did not finish, log: $console" "$console"

# Our ccp driver on the model's PSP: SNP_INIT_EX at probe, then legacy
# SEV next to it, and /dev/sev reports an initialised RMP.
boot_dmesg=$(dmesg_dump "$console.boot")
fw=$(grep -m1 -E '^ccp [0-9a-f:.]+: SEV-SNP API:[0-9]+\.[0-9]+ build:[0-9]+$' <<<"$boot_dmesg" || true)
sev=$(grep -m1 -E '^ccp [0-9a-f:.]+: SEV API:' <<<"$boot_dmesg" || true)
if [ -n "$fw" ] && [ -n "$sev" ]; then
	result PASS L3 model:psp-snp-init "${fw#ccp * }; ${sev#ccp * }"
else
	result FAIL L3 model:psp-snp-init "ccp did not initialise SNP and SEV on the model's PSP, log: $console"
fi
# snp-platform-status's KTAP: both commands worked, SNP_PLATFORM_STATUS
# says the RMP is initialised.
prog=$(ktap_get "$parsed" snp-platform-status)
snp_st=$(ktap_get "$parsed" snp-platform-status:SNP_PLATFORM_STATUS)
sev_st=$(ktap_get "$parsed" snp-platform-status:PLATFORM_STATUS)
if [ "${prog%%$'\t'*}" = PASS ] && [ "${snp_st%%$'\t'*}" = PASS ] &&
	[ "${sev_st%%$'\t'*}" = PASS ] &&
	[[ " ${snp_st#*$'\t'} " =~ \ state\ 1\ rmp_initialized\ 1\  ]]; then
	result PASS L3 model:platform-status "SNP_PLATFORM_STATUS ${snp_st#*$'\t'}"
else
	result FAIL L3 model:platform-status "SNP_PLATFORM_STATUS: ${snp_st:-no result}; PLATFORM_STATUS: ${sev_st:-no result} (snp-platform-status: ${prog:-not run}), log: $console"
fi

# At the end the init unloaded kvm_amd and unbound the PSP from ccp: our
# driver shut legacy SEV and SNP down and took its pages back (snp_rmp_live
# leaked one page on purpose before; no more may follow), the IOMMU's
# logs too, which the firmware had taken at SNP_INIT (its log says how
# many pages).
leaked_before=$(ktap_detail "$parsed" snp-leaked-pages:before)
leaked_after=$(ktap_detail "$parsed" snp-leaked-pages:after)
down=$(strip_timestamps <"$console" | grep -m1 -E '^ccp [0-9a-f:.]+: SEV-SNP: firmware shut down$' || true)
iommu_pages=$(sed -n 's/^snp-init iommu-log-pages=//p' "$fw_log" 2>/dev/null | head -n 1)
if [ "$(ktap_status "$parsed" psp-unbind)" = PASS ] && [ -n "$down" ] &&
	[ -n "$leaked_before" ] && [ "$leaked_before" = "$leaked_after" ] &&
	[ "${iommu_pages:-0}" -gt 0 ] && ! grep -q 'IOMMU logs still firmware-owned' "$console"; then
	result PASS L3 model:psp-shutdown "${down#ccp * }; $iommu_pages IOMMU log pages given back; leaked pages $leaked_after before and after"
else
	result FAIL L3 model:psp-shutdown "psp-unbind: $(ktap_get "$parsed" psp-unbind || true); ${down:-no 'firmware shut down' line}; IOMMU log pages ${iommu_pages:-?}; leaked ${leaked_before:-?} -> ${leaked_after:-?}, log: $console"
fi

# The firmware's rules about every CPU (src/hw/i386/snp-fw-rules.c): the
# model logs each check as "rule NAME CMD cpus=N ok" or "... fail ...".
# Each rule must have been checked in this boot and never been broken:
# the same SNP MSRs and a clear VM_HSAVE_PA on every CPU at SNP_INIT(_EX),
# a WBINVD on every CPU since the last INIT, SNP_INIT or DECOMMISSION
# before DF_FLUSH, SNP_DF_FLUSH and SNP_SHUTDOWN_EX.
for rule in snp-msrs-agree hsave-clear wbinvd-before-df-flush wbinvd-before-snp-shutdown; do
	checks=$(grep -E "^rule $rule " "$fw_log" 2>/dev/null || true)
	n_ok=$(grep -c ' ok$' <<<"$checks" || true)
	bad=$(grep -m1 ' fail ' <<<"$checks" || true)
	cmds=$(awk '{ print $3 }' <<<"$checks" | sort -u | paste -sd, -)
	if [ -n "$bad" ]; then
		result FAIL L3 "model:rule:$rule" "${bad#rule }, log: $fw_log"
	elif [ "${n_ok:-0}" -gt 0 ]; then
		result PASS L3 "model:rule:$rule" "checked $n_ok time(s) by $cmds, never broken"
	else
		result FAIL L3 "model:rule:$rule" "never checked in this boot, log: $fw_log"
	fi
done

# The driver's error paths, with the firmware model's fault injection.
# Each check starts the next boot (fi_start) before it waits for its own
# (fi_wait), so that two boots run at a time.
# SNP_INIT_EX (0x85) fails with RMP_INITIALIZATION_FAILED (0x26): SNP must
# stay off, legacy SEV come up, and nothing warn.
fi_start reclaimfail fail-cmd=0xc7,fail-status=0x1a,fail-count=1
fi_wait initfail
err=$(grep -m1 'SEV-SNP: firmware not initialised' <<<"$fi_dmesg" || true)
st=$(ktap_get "$fi_ktap" snp-platform-status:SNP_PLATFORM_STATUS)
if [ -n "$err" ] && [[ "$err" == *"status 0x26"* ]] &&
	grep -q -E '^ccp [0-9a-f:.]+: SEV API:' <<<"$fi_dmesg" &&
	[ "${st%%$'\t'*}" = PASS ] && [[ " ${st#*$'\t'} " =~ \ state\ 0\  ]] &&
	! dmesg_bad "$fi_log" >/dev/null; then
	st="SNP_PLATFORM_STATUS ${st#*$'\t'}"
	result PASS L3 model:psp-init-failure "${err#ccp * }; $st"
else
	result FAIL L3 model:psp-init-failure "${err:-no 'firmware not initialised' line}; ${st:-no status} (qemu rc=$rc), log: $fi_log"
fi

# The first SNP_PAGE_RECLAIM (0xc7) fails: that of SNP_PLATFORM_STATUS's
# firmware-owned page. /dev/sev must answer EIO, not stale data, and the
# page must be leaked and reported, never reused.
fi_start dfflush fail-cmd=0x86,fail-status=0xf,fail-count=1
fi_wait reclaimfail
st=$(ktap_get "$fi_ktap" snp-platform-status:SNP_PLATFORM_STATUS)
leak=$(grep -m1 -E '^SEV-SNP: leaked 1 page\(s\) at PFN 0x[0-9a-f]+, 1 in total$' <<<"$fi_dmesg" || true)
if [ "${st%%$'\t'*}" = FAIL ] && [[ "$st" == *"errno 5 (Input/output error)"* ]] && [ -n "$leak" ] &&
	[ "$(ktap_get "$fi_ktap" snp-platform-status)" = $'FAIL\texit=1' ] &&
	! dmesg_bad "$fi_log" >/dev/null; then
	result PASS L3 model:psp-reclaim-failure "${st#*$'\t'}; $leak"
else
	result FAIL L3 model:psp-reclaim-failure "${st:-no status line}; ${leak:-no leak report} (qemu rc=$rc), log: $fi_log"
fi

# The shutdown paths. SNP_SHUTDOWN_EX answers DFFLUSH_REQUIRED once: the
# driver flushes and retries, and SNP goes down.
fi_start shutdownfail fail-cmd=0x86,fail-status=0x1,fail-count=1
fi_wait dfflush
down=$(grep -m1 -E '^ccp [0-9a-f:.]+: SEV-SNP: firmware shut down$' <<<"$fi_dmesg" || true)
if [ -n "$down" ] && ! grep -q 'SNP_SHUTDOWN_EX failed' <<<"$fi_dmesg" &&
	! dmesg_bad "$fi_log" >/dev/null; then
	result PASS L3 model:psp-shutdown-dfflush-retry "${down#ccp * } after DFFLUSH_REQUIRED"
else
	result FAIL L3 model:psp-shutdown-dfflush-retry "${down:-no 'firmware shut down' line} (qemu rc=$rc), log: $fi_log"
fi

# SNP_SHUTDOWN_EX fails: SNP stays up, and the driver says so and gives
# nothing back that the firmware may still own.
fi_start tmrfail fail-cmd=0xc7,fail-status=0x1a,fail-skip=2,fail-count=1
fi_wait shutdownfail
err=$(grep -m1 'SNP_SHUTDOWN_EX failed' <<<"$fi_dmesg" || true)
if [ -n "$err" ] && grep -q 'the SNP firmware stays initialised' <<<"$fi_dmesg" &&
	! grep -q 'SEV-SNP: firmware shut down' <<<"$fi_dmesg" &&
	! dmesg_bad "$fi_log" >/dev/null; then
	result PASS L3 model:psp-shutdown-failure "$err; the SNP firmware stays initialised"
else
	result FAIL L3 model:psp-shutdown-failure "${err:-no 'SNP_SHUTDOWN_EX failed' line} (qemu rc=$rc), log: $fi_log"
fi

# kdump: the first kernel reserves memory with crashkernel=, loads itself
# as the crash kernel and panics (harness/l3-kdump/init).
kd_fw_log=$VOUT/l3-kdump-fw.log
rm -f "$kd_fw_log"
[ -z "$kd" ] || fi_start kdump "digest-log=$kd_fw_log" "$VOUT/l3-kdump.cpio.gz" "crashkernel=256M"

# The first SNP_PAGE_RECLAIM of the shutdown fails (the two before it give
# back the pages of /dev/sev's SNP and legacy PLATFORM_STATUS): that page is
# leaked and reported, and the shutdown goes on.
fi_wait tmrfail
leaked_before=$(ktap_detail "$fi_ktap" snp-leaked-pages:before)
leaked_after=$(ktap_detail "$fi_ktap" snp-leaked-pages:after)
err=$(grep -m1 'SNP_PAGE_RECLAIM of pfn' <<<"$fi_dmesg" || true)
if [ -n "$err" ] && [ "$leaked_before" = "total: 0" ] && [ "$leaked_after" = "total: 1" ] &&
	grep -q 'SEV-SNP: firmware shut down' <<<"$fi_dmesg" &&
	! dmesg_bad "$fi_log" >/dev/null; then
	result PASS L3 model:psp-shutdown-reclaim-failure "${err#SEV-SNP: }; leaked pages ${leaked_before#total: } -> ${leaked_after#total: }; SNP shut down"
else
	result FAIL L3 model:psp-shutdown-reclaim-failure "${err:-no reclaim failure}; leaked ${leaked_before:-?} -> ${leaked_after:-?} (qemu rc=$rc), log: $fi_log"
fi

# The crash kernel must find the platform usable: the crashed kernel's
# panic notifier shut SNP down with SNP_SHUTDOWN_EX and IOMMU_SNP_SHUTDOWN
# set, after every CPU wrote its caches back (the model's rule
# wbinvd-before-snp-shutdown), so the crash kernel, whose PSP driver leaves
# the firmware alone as 6.12's does in a kdump kernel, finds it
# uninitialised (SNP_PLATFORM_STATUS state 0) and the IOMMU's logs the
# host's again; the RMP stays enabled and the crashed kernel's memory is
# readable.
[ -n "$kd" ] || exit 0
fi_wait kdump
sed '/^KDUMP-CRASH-KERNEL$/,$d' "$fi_log" >"$fi_log.first"
first=$(ktap --all "$fi_log.first")
sed -n '/^KDUMP-CRASH-KERNEL$/,$p' "$fi_log" >"$fi_log.crash"
second=$(ktap --all "$fi_log.crash")
missing=""
for t in boot snp-host snp-platform-status crashkernel kexec-load; do
	[ "$(ktap_status "$first" "$t")" = PASS ] || missing="$missing $t"
done
sed '/^KDUMP-PANIC$/,$d' "$fi_log.first" >"$fi_log.before"
if [ -z "$missing" ] && grep -q '^KDUMP-PANIC$' "$fi_log" &&
	! dmesg_bad "$fi_log.before" >&2; then
	result PASS L3 model:kdump-load "$(ktap_detail "$first" crashkernel); $(ktap_detail "$first" kexec-load)"
else
	result FAIL L3 model:kdump-load "failed or missing in the first kernel:${missing:- none} (qemu rc=$rc), log: $fi_log"
fi
rule=$(grep -E '^rule wbinvd-before-snp-shutdown ' "$kd_fw_log" 2>/dev/null || true)
down=$(grep -E '^snp-shutdown-ex iommu-snp-shutdown=' "$kd_fw_log" 2>/dev/null || true)
# A shutdown counts only when the first kernel's end was the panic: the
# crash kernel started, and the first kernel never got to power off.
if [ -n "$rule" ] && ! grep -q ' fail ' <<<"$rule" && [ "$down" = "snp-shutdown-ex iommu-snp-shutdown=1" ] &&
	grep -q '^KDUMP-CRASH-KERNEL$' "$fi_log" && ! grep -q '^KDUMP-NO-CRASH-KERNEL$' "$fi_log"; then
	result PASS L3 model:kdump-snp-shutdown "at the panic: ${rule#rule }; $down"
else
	result FAIL L3 model:kdump-snp-shutdown "${rule:-no SNP_SHUTDOWN}; ${down:-SNP_SHUTDOWN_EX did not succeed}; crash kernel $(grep -q '^KDUMP-CRASH-KERNEL$' "$fi_log" && echo started || echo 'not started'), log: $kd_fw_log"
fi
st=$(ktap_get "$second" snp-platform-status:SNP_PLATFORM_STATUS)
left=$(dmesg_dump "$fi_log.crash" | grep -m1 'SEV-SNP: not initialised in a kdump kernel' || true)
if [ "$(ktap_status "$second" boot)" = PASS ] && [ "$(ktap_status "$second" snp-host)" = PASS ] &&
	[ "${st%%$'\t'*}" = PASS ] && [[ " ${st#*$'\t'} " =~ \ state\ 0\  ]] &&
	[ -n "$left" ] && [ "$(ktap_status "$second" vmcore)" = PASS ]; then
	result PASS L3 model:kdump-crash-kernel "SNP host enabled, firmware shut down: SNP_PLATFORM_STATUS ${st#*$'\t'}; vmcore $(ktap_detail "$second" vmcore)"
else
	result FAIL L3 model:kdump-crash-kernel "boot: $(ktap_get "$second" boot | tr '\t' ' '); snp-host: $(ktap_get "$second" snp-host | tr '\t' ' '); SNP_PLATFORM_STATUS: ${st:-none}; ${left:-no 'not initialised in a kdump kernel' line}; vmcore: $(ktap_get "$second" vmcore | tr '\t' ' '), log: $fi_log"
fi
if dmesg_done "$fi_log.crash" && ! dmesg_bad "$fi_log.crash" >&2; then
	result PASS L3 model:kdump-dmesg "no WARN, BUG, oops or lockdep report in the crash kernel"
else
	result FAIL L3 model:kdump-dmesg "the crash kernel warned or did not finish, log: $fi_log"
fi
