#!/usr/bin/env bash
# Boot a kernel and initramfs on the SNP platform model:
#   run.sh KERNEL INITRD [KERNEL-ARGS...]
# The console is this terminal (Ctrl-A X quits). MODEL_QEMU overrides the
# model binary, MODEL_SMP and MODEL_MEM the size (2 CPUs, 2 GiB); the
# machine is the one model-args.sh prints.
. "$(dirname "$0")/../../../harness/bin/lib.sh"

[ $# -ge 2 ] || die "usage: $0 KERNEL INITRD [KERNEL-ARGS...]"
kernel=$1 initrd=$2
shift 2
qemu=${MODEL_QEMU:-$OUT/model/build/qemu-system-x86_64}
[ -x "$qemu" ] || die "no model at $qemu; build it with 'make model'"

mapfile -t machine < <("$TOP/tools/testing/snp-platform/model-args.sh")
exec "$qemu" "${machine[@]}" \
	-nographic -serial mon:stdio \
	-kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 $*"
