#!/usr/bin/env bash
# Boot a kernel and initramfs in QEMU TCG and write the serial console to a
# log file: qemu-boot.sh KERNEL INITRD LOG TIMEOUT [extra QEMU args...].
# CPU model and size come from QEMU_CPU (EPYC-Milan), QEMU_SMP (2) and
# QEMU_MEM (2G). QEMU_MODEL=1 boots on the SNP platform model instead
# (out/model, machine arguments from
# tools/testing/snp-platform/model-args.sh). TCG runs
# single-threaded: multi-threaded TCG in QEMU 7.2 sometimes executes a
# stale int3 after the guest patches a jump label.
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 log_file=$3 secs=$4
shift 4
rc=0
qemu=qemu-system-x86_64
if [ -n "${QEMU_MODEL:-}" ]; then
	qemu=$OUT/model/build/qemu-system-x86_64
	mapfile -t machine < <("$TOP/tools/testing/snp-platform/model-args.sh")
else
	machine=(-accel tcg,thread=single -cpu "${QEMU_CPU:-EPYC-Milan}"
		-smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-2G}" -nodefaults -no-reboot)
fi
timeout -s KILL "$secs" "$qemu" "${machine[@]}" \
	-nographic -serial stdio \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 loglevel=4 panic=-1 ${KERNEL_ARGS:-}" \
	"$@" </dev/null >"$log_file" 2>&1 || rc=$?
exit $rc
