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

initrd=$OUT/l2-initramfs.cpio.gz
if [ ! -f "$initrd" ]; then
	result FAIL L3 model:boot "no initramfs: l2-selftests.sh did not build $initrd"
	exit 0
fi

# KVM's SEV setup needs decode assists, which the model's SVM does not
# have yet: with it on, kvm_amd would (rightly) warn.
log "booting the test kernel on the SNP platform model"
log_file=$OUT/l3-model.log
t=$SECONDS rc=0
QEMU_MODEL=1 KERNEL_ARGS="l2.bootonly kvm_amd.sev=0 kvm_amd.sev_es=0" \
	"$HARNESS/bin/qemu-boot.sh" "$OBJ/arch/x86/boot/bzImage" "$initrd" \
	"$log_file" "${L3_TIMEOUT:-300}" || rc=$?
tr -d '\r' <"$log_file" >"$log_file.txt"
console=$log_file.txt
if ! grep -q '^L2-DMESG-END' "$console"; then
	result FAIL L3 model:boot "the kernel did not finish booting (qemu rc=$rc), log: $console"
	exit 0
fi
result PASS L3 model:boot "$((SECONDS - t)) s to boot and power off"

snp=$(snp_lines "$console")
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

result SKIP L3 model:kvm-sev "the model's SVM has no decode assists yet, so KVM's SEV support is off (kvm_amd.sev=0)"
result SKIP L3 model:rmp-instructions "RMPUPDATE, PSMASH, PVALIDATE, RMPADJUST and the RMP write checks are not modelled yet"
result SKIP L3 model:psp-firmware "the model has no PSP device yet: SNP_INIT, /dev/sev and SNP launches are not tested on it"
result SKIP L3 model:stock-6.12 "booting Debian's linux-image 6.12 on the model waits for the PSP firmware model"
