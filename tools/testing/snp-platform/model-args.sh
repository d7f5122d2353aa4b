#!/usr/bin/env bash
# Print the QEMU arguments of the SNP platform model, one a line: an
# EPYC-Milan that is an SNP host (CPUID, MSRs, RMP) and not a guest, on q35
# with the AMD IOMMU and the PSP with SNP firmware (its keys from
# out/model/keys). Firmware files come from Debian's packages.
# MODEL_PSP_OPTS adds options to the PSP (fault injection:
# fail-cmd=ID,fail-status=CODE,fail-count=N; digest-log=FILE), MODEL_SMP
# and MODEL_MEM set the size (2 CPUs, 2 GiB). Used by run.sh and by the
# harness (harness/bin/qemu-boot.sh with QEMU_MODEL=1):
#   mapfile -t args < <(model-args.sh)
. "$(dirname "$0")/../../../harness/bin/lib.sh"

printf '%s\n' -L /usr/share/seabios -L /usr/share/qemu \
	-machine q35 -accel tcg,thread=single \
	-cpu EPYC-Milan,snp-host=on,+decodeassists,+flushbyasid,+lbrv,-hypervisor \
	-device amd-iommu -device "snp-psp,keys=$OUT/model/keys${MODEL_PSP_OPTS:+,$MODEL_PSP_OPTS}" \
	-smp "${MODEL_SMP:-2}" -m "${MODEL_MEM:-2G}" -nodefaults -no-reboot
