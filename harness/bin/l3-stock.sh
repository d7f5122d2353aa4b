#!/usr/bin/env bash
# L3: boot Debian's stock linux-image 6.12 on the SNP platform model, so that
# upstream's own SNP host code (RMP table, IOMMU, SNP_EN, the ccp driver and
# kvm_amd) checks the model, and report the results stock-6.12:*. The steps
# are scripts of their own: stock-fetch.sh (fetch and unpack the package),
# stock-initramfs.sh (the initramfs with its modules, the model's test
# programs and harness/l3-stock/init), the boot (qemu-boot.sh on the model,
# with the PSP's digest log) and stock-eval.sh (the results from the init's
# KTAP, dmesg and the digest log). What the model cannot do yet is reported
# as SKIP with the reason the log shows.
. "$(dirname "$0")/lib.sh"

qemu=$OUT/model/build/qemu-system-x86_64

# skip_from N REASON: SKIP the tests from the N-th (0: fetch) on.
tests=(fetch boot snp-host platform-status kvm-amd snp-launch snp-launch-cpuid-fixup
	snp-launch-reupdate launch-digest decommission id-block id-block-bad-measurement
	id-block-bad-signature id-block-bad-policy id-block-bad-author-sig launch-vmsa msr-locks dev-sev)
skip_from() {
	local t
	for t in "${tests[@]:$1}"; do
		result SKIP L3 "stock-6.12:$t" "$2"
	done
	exit 0
}

# --- fetch --------------------------------------------------------------
t=$SECONDS rc=0
info=$("$HARNESS/bin/stock-fetch.sh" 2>"$OUT/l3-stock-fetch.err") || rc=$?
why=$(grep -v '^==>' "$OUT/l3-stock-fetch.err" | tail -n 1 || true)
case $rc in
0) ;;
2) skip_from 0 "$why" ;;
*)
	result FAIL L3 stock-6.12:fetch "$why"
	skip_from 1 "no stock kernel: the fetch failed" ;;
esac
read -r pkg ver how kver <<<"$info"
result PASS L3 stock-6.12:fetch "$pkg $ver ($how, kernel $kver), $((SECONDS - t)) s"

# --- initramfs ----------------------------------------------------------
if ! "$HARNESS/bin/stock-initramfs.sh" "$kver" 2>"$OUT/l3-stock-initramfs.err"; then
	result FAIL L3 stock-6.12:boot "$(sed -n 's/^ERROR: //p' "$OUT/l3-stock-initramfs.err" | head -n 1)"
	exit 0
fi

# --- boot ---------------------------------------------------------------
if [ ! -x "$qemu" ]; then
	result FAIL L3 stock-6.12:boot "no platform model at $qemu (model:build failed, or run make model)"
	exit 0
fi
# The model's PSP logs each launch command and the launch digest to a file
# when it has the digest-log property; an older model boots without it.
# MODEL_PSP_OPTS from the caller (fault injection) is kept.
digest_log=$OUT/l3-stock-digest.log
rm -f "$digest_log"
psp_opts=${MODEL_PSP_OPTS:-} no_digest_log=""
if "$qemu" -device snp-psp,help 2>/dev/null | grep -q '^ *digest-log='; then
	psp_opts+=${psp_opts:+,}digest-log=$digest_log
else
	no_digest_log="the model's snp-psp has no digest-log property ($qemu -device snp-psp,help)"
fi
log "booting Debian's $kver on the SNP platform model"
log_file=$OUT/l3-stock.log
t=$SECONDS rc=0
MODEL_PSP_OPTS=$psp_opts QEMU_MODEL=1 KERNEL_ARGS="" "$HARNESS/bin/qemu-boot.sh" \
	"$OUT/stock-6.12/boot/vmlinuz-$kver" "$OUT/l3-stock-initramfs.cpio.gz" \
	"$log_file" "${L3_TIMEOUT:-300}" || rc=$?
console=$(console_text "$log_file")
if ! dmesg_done "$console"; then
	result FAIL L3 stock-6.12:boot "$kver did not finish booting (qemu rc=$rc), log: $console"
	exit 0
fi
booted=$(ktap_detail "$(ktap "$console")" boot)
if [ "$booted" != "$kver" ]; then
	result FAIL L3 stock-6.12:boot "booted '$booted' instead of $kver, log: $console"
	exit 0
fi
result PASS L3 stock-6.12:boot "$booted: $((SECONDS - t)) s to boot and power off"

# --- evaluation -----------------------------------------------------------
"$HARNESS/bin/stock-eval.sh" "$console" "$digest_log" "$no_digest_log"
