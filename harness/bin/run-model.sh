#!/usr/bin/env bash
# make run: boot the test kernel (of VARIANT) on the SNP platform model
# with an interactive shell: ccp, kvm and kvm_amd are loaded as on a host,
# and /tests holds the model's test programs. The initramfs is built here
# from the same variant's modules, so no other target has to run first.
. "$(dirname "$0")/lib.sh"

kernel=$OBJ/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at $kernel; run 'make${VARIANT:+ VARIANT=$VARIANT}' first"
[ -d "$MODULES/lib/modules" ] || die "no modules in $MODULES; run 'make${VARIANT:+ VARIANT=$VARIANT}' first"
root=$VOUT/run-root
initrd=$VOUT/run-initramfs.cpio.gz
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib,tests}
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$HARNESS/run/init" "$root/init"
cp -a "$MODULES/lib/modules" "$root/lib/"
for t in snp-platform-status snp-launch; do
	bin=$(test_prog "$t") || die "cannot build tools/testing/snp-platform/tests/$t.c"
	cp "$bin" "$root/tests/$t"
done
pack_initramfs "$root" "$initrd"
log "booting $(kmake -s kernelrelease) on the SNP platform model (Ctrl-A X quits)"
exec "$TOP/tools/testing/snp-platform/run.sh" "$kernel" "$initrd" "$@"
