#!/usr/bin/env bash
# L2: check what the SNP host code says at boot on CPU models that cannot be
# SNP hosts. Each model must print exactly its one expected "SEV-SNP:" line
# (or none on Intel), and nothing else may change. The EPYC-Milan boot is
# the one l2-selftests.sh already ran; the others boot the same initramfs
# with "l2.bootonly", which skips the selftests.
. "$(dirname "$0")/lib.sh"

initrd=$VOUT/l2-initramfs.cpio.gz
if [ ! -f "$initrd" ]; then
	result FAIL L2 snp-host "no initramfs: l2-selftests.sh did not build $initrd"
	exit 0
fi

# check NAME CONSOLE EXPECTED-LINE ("" for none)
check() {
	local name=$1 console=$2 want=$3 got
	if ! dmesg_done "$console"; then
		result FAIL L2 "snp-host:$name" "the guest did not finish, log: $console"
		return
	fi
	got=$(snp_lines "$console")
	if [ "$got" = "$want" ]; then
		result PASS L2 "snp-host:$name" "${want:-no SEV-SNP line}"
	else
		printf '    expected: %s\n    got:\n%s\n' "${want:-(nothing)}" \
			"$(printf '%s\n' "$got" | sed 's/^/      /')" >&2
		result FAIL L2 "snp-host:$name" "wrong SEV-SNP boot message, log: $console"
	fi
}

# debugfs on the EPYC-Milan boot, as its init checked it (l2-selftests.sh
# gave it the expected status): the status names the reason, and the RMP
# entry file refuses to read without SNP.
milan=$VOUT/l2-console.log.txt
check EPYC-Milan "$milan" "SEV-SNP: host support disabled: CPU does not support SEV-SNP"
ktap_results L2 --match debugfs- --prefix snp-host:debugfs- --expect status \
	--expect rmp-entry --missing "not checked, log: $milan" "$milan"

# Boot-only runs: CPU model, result name, expected line.
boot() {
	local cpu=$1 name=$2 want=$3 log_file=$VOUT/l2-$2.log rc=0
	log "booting with -cpu $cpu (boot only)"
	QEMU_CPU=$cpu KERNEL_ARGS="l2.bootonly" \
		"$HARNESS/bin/qemu-boot.sh" "$OBJ/arch/x86/boot/bzImage" "$initrd" \
		"$log_file" "${L2_TIMEOUT:-600}" || rc=$?
	log_file=$(console_text "$log_file")
	check "$name" "$log_file" "$want"
	if dmesg_bad "$log_file" >&2; then
		result FAIL L2 "snp-host:$name-dmesg" "kernel warnings or oopses (qemu rc=$rc), log: $log_file"
	else
		result PASS L2 "snp-host:$name-dmesg" "no WARN, BUG, oops or lockdep report"
	fi
}

boot EPYC-Milan,-svm no-svm "SEV-SNP: host support disabled: CPU does not support SVM"
boot Skylake-Client intel ""
