#!/usr/bin/env bash
# Build the initramfs for Debian's stock 6.12 on the SNP platform model
# (L3): static busybox, harness/l3-stock/init with /lib/ktap.sh, ccp, kvm,
# kvm_amd and their dependencies and msr from out/stock-6.12 (modules.load,
# in load order), and the model's test programs (snp-platform-status,
# snp-msr-locks, dev-sev-errors, snp-launch with the ID blocks of
# tests/make_id_block.py).
#   stock-initramfs.sh KERNEL-RELEASE
# Writes out/l3-stock-initramfs.cpio.gz and out/l3-stock.env, which says
# what is missing from it and why (launch_cc: snp-launch does not build;
# id_err: no ID blocks); those tests then fail with that reason. Exits 1,
# saying why on standard error, when the initramfs cannot be built.
. "$(dirname "$0")/lib.sh"

kver=$1
moddir=$OUT/stock-6.12/lib/modules/$kver
tests_dir=$TOP/tools/testing/snp-platform/tests
root=$OUT/l3-stock-root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules}
cp /bin/busybox "$root/bin/busybox"
cp "$HARNESS/l3-stock/init" "$root/init"
chmod +x "$root/init"
cp "$HARNESS/initramfs/ktap.sh" "$root/lib/ktap.sh"

for prog in snp-platform-status snp-msr-locks dev-sev-errors; do
	bin=$(test_prog "$prog" 2>"$OUT/l3-stock-cc.err") ||
		die "$prog.c does not build: $(cat "$OUT/l3-stock-cc.err")"
	cp "$bin" "$root/bin/$prog"
done
# Without snp-launch the boot still tests the rest; its tests fail.
launch_cc=""
if bin=$(test_prog snp-launch 2>"$OUT/l3-stock-cc.err"); then
	cp "$bin" "$root/bin/snp-launch"
else
	launch_cc="snp-launch.c does not build: $(cat "$OUT/l3-stock-cc.err")"
fi
# The ID blocks of snp-launch's id-block launches, for the digest of its
# pages, with throwaway ID and author keys (tests/make_id_block.py: it
# needs python3-cryptography, which Debian's python3 has). Without them
# those launches fail and say why.
py=$(crypto_python)
id_err=""
if ! id_ld=$(python3 "$tests_dir/launch-digest/test_launch_digest.py" --print-ld \
	2>"$OUT/l3-stock-id-block.err"); then
	id_err="test_launch_digest.py --print-ld failed: $(tail -n 1 "$OUT/l3-stock-id-block.err")"
elif ! "$py" "$tests_dir/make_id_block.py" --ld "$id_ld" --out "$root/id-block" \
	>"$OUT/l3-stock-id-block.log" 2>"$OUT/l3-stock-id-block.err"; then
	id_err="make_id_block.py failed: $(tail -n 1 "$OUT/l3-stock-id-block.err")"
fi
printf 'launch_cc=%q\nid_err=%q\n' "$launch_cc" "$id_err" >"$OUT/l3-stock.env"

pack_modules "$moddir" "$root" ccp kvm kvm_amd msr || exit 1
pack_initramfs "$root" "$OUT/l3-stock-initramfs.cpio.gz"
log "stock initramfs: $(tr '\n' ' ' <"$root/modules.load")"
