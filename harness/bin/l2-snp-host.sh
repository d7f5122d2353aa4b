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

# Boot-only runs, both at once: TCG runs a guest in one host thread, so
# the two use both cores. start CPU NAME starts one; finish NAME EXPECTED
# waits for it and checks its console.
declare -A pid
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
start() {
	log "booting with -cpu $1 (boot only)"
	QEMU_CPU=$1 KERNEL_ARGS="l2.bootonly" \
		"$HARNESS/bin/qemu-boot.sh" "$OBJ/arch/x86/boot/bzImage" "$initrd" \
		"$VOUT/l2-$2.log" "${L2_TIMEOUT:-600}" &
	pid[$2]=$!
}
finish() {
	local name=$1 want=$2 log_file rc=0
	wait "${pid[$name]}" || rc=$?
	log_file=$(console_text "$VOUT/l2-$name.log")
	check "$name" "$log_file" "$want"
	if dmesg_bad "$log_file" >&2; then
		result FAIL L2 "snp-host:$name-dmesg" "kernel warnings or oopses (qemu rc=$rc), log: $log_file"
	else
		result PASS L2 "snp-host:$name-dmesg" "no WARN, BUG, oops or lockdep report"
	fi
}

start EPYC-Milan,-svm no-svm
start Skylake-Client intel
finish no-svm "SEV-SNP: host support disabled: CPU does not support SVM"
finish intel ""
