#!/usr/bin/env bash
# Evaluate the boot of Debian's stock 6.12 on the SNP platform model (L3):
# the results stock-6.12:snp-host to stock-6.12:msr-locks from what the
# init printed (harness/l3-stock/init), the kernel's dmesg and the model's
# digest log.
#   stock-eval.sh CONSOLE DIGEST-LOG [WHY-NO-DIGEST-LOG]
# out/l3-stock.env (stock-initramfs.sh) says what the initramfs lacks.
. "$(dirname "$0")/lib.sh"

console=$1 digest_log=$2 no_digest_log=${3:-}
launch_cc="" id_err=""
# shellcheck source=/dev/null
. "$OUT/l3-stock.env"
tests_dir=$TOP/tools/testing/snp-platform/tests
root=$OUT/l3-stock-root
# The launches of snp-launch after its first, one test each (and each a
# step of its own in dmesg).
later_launches=(id-block id-block-bad-measurement id-block-bad-signature id-block-bad-policy
	id-block-bad-author-sig launch-vmsa)

# The kernel's dmesg without timestamps. The init announces each step in it
# ("l3-stock: insmod ccp", "l3-stock: probe", ...): dmesg_of STEP... prints
# what the kernel said during those steps, dmesg_besides STEP... the rest
# (boot included), so that every line counts for exactly one test.
dmesg_all=$OUT/l3-stock-dmesg.txt
sed -n '/^STOCK-DMESG-BEGIN/,/^STOCK-DMESG-END/p' "$console" | strip_timestamps >"$dmesg_all"
dmesg_steps() {
	local keep=$1
	shift
	awk -v keep="$keep" -v steps=" $* " '
		index($0, "l3-stock: ") == 1 {
			on = index(steps, " " substr($0, 11) " ") > 0
			next
		}
		on == keep' "$dmesg_all"
}
dmesg_of() { dmesg_steps 1 "$@"; }
dmesg_besides() { dmesg_steps 0 "$@"; }
bad() { grep -E "$DMESG_BAD" || true; }
ccp_steps=("insmod ccp" snp-platform-status)
kvm_steps=("insmod irqbypass" "insmod kvm" "insmod kvm_amd")
flags=" $(grep -m1 '^STOCK-CPUFLAGS' "$console" | cut -c16- || true) "
psp=$(grep -E '^STOCK-PCI .* 0x1022:0x[0-9a-f]{4} class 0x1080' "$console" || true)

# --- snp-host: upstream's SNP host code on the model ----------------------
# It reads the RMP table range from the MSRs at boot, enables SNP in the
# IOMMU, then sets SYSCFG.SNP_EN (bit 24) on every CPU.
rmp=$(grep -m1 '^SEV-SNP: RMP table physical range' "$dmesg_all" || true)
snp_err=$(grep -E '^SEV-SNP: (Memory|RMP configuration|Failed)' "$dmesg_all" || true)
iommu_snp=$(grep -m1 'IOMMU SNP support enabled' "$dmesg_all" || true)
syscfg=$(grep '^STOCK-SYSCFG' "$console" || true)
snp_en_off=""
while read -r _ cpu val; do
	[ -n "$cpu" ] || continue
	if [[ ! $val =~ ^[0-9a-f]{16}$ ]] || (((0x$val >> 24 & 1) == 0)); then
		snp_en_off+=" $cpu=$val"
	fi
done <<<"$syscfg"
host_bad=$(dmesg_besides "${ccp_steps[@]}" "${kvm_steps[@]}" snp-launch "${later_launches[@]}" | bad)
if [ -n "$rmp" ] && [ -z "$snp_err" ] && [ -n "$iommu_snp" ] &&
	[[ $flags == *" sev_snp "* ]] && [ -n "$syscfg" ] &&
	[ -z "$snp_en_off" ] && [ -z "$host_bad" ]; then
	result PASS L3 stock-6.12:snp-host "$rmp; $iommu_snp; sev_snp in /proc/cpuinfo; SYSCFG.SNP_EN set on $(wc -l <<<"$syscfg") CPUs"
else
	why=""
	[ -n "$rmp" ] || why+="no 'RMP table physical range' line; "
	[ -z "$snp_err" ] || why+="$(head -n 1 <<<"$snp_err"); "
	[ -n "$iommu_snp" ] || why+="no 'IOMMU SNP support enabled' line; "
	[[ $flags == *" sev_snp "* ]] || why+="no sev_snp in /proc/cpuinfo; "
	[ -n "$syscfg" ] || why+="SYSCFG not readable; "
	[ -z "$snp_en_off" ] || why+="SYSCFG.SNP_EN clear on$snp_en_off; "
	[ -z "$host_bad" ] || why+="$(head -n 1 <<<"$host_bad"); "
	result FAIL L3 stock-6.12:snp-host "${why%; }, log: $console"
fi

# --- platform-status: upstream's ccp and /dev/sev on the model's PSP ------
# kvm_amd's load initialises SNP (SNP_INIT_EX) and then legacy SEV; the
# status must then show an initialised RMP.
ccp_bad=$(dmesg_of "${ccp_steps[@]}" | bad)
st=$(grep -m1 -E '^SNP-STATUS' "$console" || echo 'no SNP-STATUS line')
rc=$(grep -m1 '^STOCK-PLATFORM-STATUS' "$console" | cut -c23- || true)
if grep -q '^STOCK-NO-DEVSEV' "$console"; then
	result FAIL L3 stock-6.12:platform-status "no /dev/sev${psp:+ although the PSP is there: $(head -n 1 <<<"$psp" | cut -c11-)}${ccp_bad:+; $(head -n 1 <<<"$ccp_bad")}, log: $console"
elif [ "$rc" = 'rc=0' ] && [[ "$st " =~ \ rmp_initialized\ 1\  ]] && [[ "$st " =~ \ state\ 1\  ]] &&
	[ -z "$ccp_bad" ]; then
	result PASS L3 stock-6.12:platform-status "$st; $(grep -m1 '^SEV-STATUS' "$console" || true)"
else
	result FAIL L3 stock-6.12:platform-status "$st (${rc:-no exit status})${ccp_bad:+; $(head -n 1 <<<"$ccp_bad")}, log: $console"
fi

# --- kvm-amd: upstream's KVM on the model ----------------------------------
# kvm_amd prints "SEV-SNP enabled|disabled (ASIDs ...)" when the CPU has
# SEV-SNP. Its SEV setup needs NRIP save, decode assists and flush by ASID
# (it WARNs without the last two), SEV-ES and so SEV-SNP also LBR
# virtualisation, and SEV-SNP a PSP whose SNP firmware initialised.
kvm_line=$(dmesg_of "insmod kvm_amd" | grep -m1 -E '^kvm_amd: SEV-SNP (enabled|disabled)' || true)
kvm_bad=$(dmesg_of "${kvm_steps[@]}" | bad)
missing=""
for f in nrip_save decodeassists flushbyasid lbrv; do
	[[ $flags == *" $f "* ]] || missing+="$f, "
done
if ! grep -qx 'STOCK-MODULE kvm_amd ok' "$console"; then
	result FAIL L3 stock-6.12:kvm-amd "kvm_amd did not load: $(dmesg_of "insmod kvm_amd" | tail -n 1), log: $console"
elif [ -n "$kvm_bad" ]; then
	result FAIL L3 stock-6.12:kvm-amd "$(head -n 1 <<<"$kvm_bad")${kvm_line:+ ($kvm_line)}${missing:+; the CPU lacks ${missing%, }}, log: $console"
elif [[ $kvm_line == 'kvm_amd: SEV-SNP enabled'* ]]; then
	result PASS L3 stock-6.12:kvm-amd "$kvm_line"
else
	result FAIL L3 stock-6.12:kvm-amd "${kvm_line:-no SEV-SNP line from kvm_amd}${missing:+; the CPU lacks ${missing%, }}, log: $console"
fi

# --- snp-launch: an SNP guest's launch through upstream's KVM --------------
# tests/snp-launch.c: KVM_X86_SNP_VM, KVM_SEV_INIT2, a private guest_memfd
# slot, SNP_LAUNCH_START, one SNP_LAUNCH_UPDATE per page type,
# SNP_LAUNCH_FINISH and the teardown; then the model's digest log must hold
# the digest of exactly those pages and the guest context's decommission.
launch=$(grep '^SNP-LAUNCH' "$console" || true)
launch_rc=$(grep -m1 '^STOCK-SNP-LAUNCH rc=' "$console" | cut -c21- || true)
# step_line STEP: snp-launch's line for STEP, without "SNP-LAUNCH STEP ".
step_line() {
	grep -m1 -E "^SNP-LAUNCH $1( |\$)" <<<"$launch" | cut -c$((13 + ${#1}))- || true
}
not_run=""
if [ -n "$launch_cc" ]; then
	not_run=$launch_cc
elif grep -q '^STOCK-NO-SNP-LAUNCH' "$console"; then
	not_run="snp-launch is not in the initramfs"
elif [ -z "$launch_rc" ]; then
	not_run="snp-launch did not finish (no STOCK-SNP-LAUNCH line), log: $console"
fi
positive=(open-kvm open-sev vm-types create-vm init2 create-gmem mmap set-memory-region2
	set-attributes launch-start update-normal-0 update-normal-1-2 update-zero-3
	update-unmeasured-4 update-secrets-5 update-cpuid-6 launch-finish close)
first_bad=""
for s in "${positive[@]}"; do
	line=$(step_line "$s")
	if [[ $line != ok && $line != 'ok '* ]]; then
		first_bad="$s ${line:-did not run}"
		break
	fi
done
end=$(grep -m1 '^SNP-LAUNCH-END rc=' <<<"$launch" || true)
if [ -n "$not_run" ]; then
	result FAIL L3 stock-6.12:snp-launch "$not_run"
elif [ -n "$first_bad" ]; then
	result FAIL L3 stock-6.12:snp-launch "$first_bad, log: $console"
elif [ -z "$end" ]; then
	result FAIL L3 stock-6.12:snp-launch "no SNP-LAUNCH-END line (rc=$launch_rc), log: $console"
else
	result PASS L3 stock-6.12:snp-launch "${#positive[@]} steps: VM, INIT2, guest_memfd, LAUNCH_START, 6 LAUNCH_UPDATEs (7 pages), LAUNCH_FINISH, teardown"
fi

# The two updates that must fail: a CPUID page claiming every bit of leaf
# 0x7.0 (INVALID_PARAM, corrected page copied back) and gfn 0 again.
for t in cpuid-fixup reupdate; do
	line=$(step_line "$t")
	if [ -n "$not_run" ]; then
		result FAIL L3 "stock-6.12:snp-launch-$t" "$not_run"
	elif [[ $line == 'ok '* ]]; then
		result PASS L3 "stock-6.12:snp-launch-$t" "${line#ok }"
	elif [ -n "$line" ]; then
		result FAIL L3 "stock-6.12:snp-launch-$t" "$line, log: $console"
	else
		result FAIL L3 "stock-6.12:snp-launch-$t" "did not run${first_bad:+ (snp-launch: $first_bad)}, log: $console"
	fi
done

# launch-digest and decommission: the digest log, recomputed independently.
launch_bad=$(dmesg_of snp-launch | grep -E "$DMESG_BAD|Leaking PFN" || true)
check="" log_ref="" log_missing=""
if [ -n "$no_digest_log" ]; then
	log_missing=$no_digest_log
elif [ ! -s "$digest_log" ]; then
	log_missing="the model wrote no digest log to $digest_log"
fi
if [ -n "$log_missing" ]; then
	for t in launch-digest decommission "${later_launches[@]}"; do
		check+="FAIL $t: $log_missing"$'\n'
	done
else
	log_ref=", digest log: $digest_log"
	# The launches snp-launch started, in the order of the digest log.
	launched=$(sed -n 's/^SNP-LAUNCH-INFO launched \([^ ]*\)$/\1/p' <<<"$launch" | paste -sd, -)
	check=$(python3 "$tests_dir/launch-digest/test_launch_digest.py" \
		--check-log "$digest_log" --launches "$launched" --id-dir "$root/id-block" \
		2>"$OUT/l3-stock-digest-check.err" || true)
fi
for t in launch-digest decommission; do
	line=$(grep -m1 -E "^(PASS|FAIL) ${t}[ :]" <<<"$check" || true)
	why=""
	if [ -z "$line" ]; then
		why="test_launch_digest.py gave no result: $(tail -n 1 "$OUT/l3-stock-digest-check.err" 2>/dev/null)"
	elif [[ $line == FAIL* ]]; then
		why=${line#"FAIL $t: "}
	fi
	if [ "$t" = decommission ] && [ -n "$launch_bad" ]; then
		why="${why:+$why; }$(head -n 1 <<<"$launch_bad")"
	fi
	if [ -z "$why" ]; then
		detail=${line#"PASS $t "}
		[ "$t" = launch-digest ] || detail+="; no WARN, BUG or leaked page in dmesg"
		result PASS L3 "stock-6.12:$t" "$detail"
	else
		[ -z "$first_bad" ] || why+=" (snp-launch: $first_bad)"
		result FAIL L3 "stock-6.12:$t" "$why$log_ref"
	fi
done

# The later launches: snp-launch's line for each (the firmware status of
# LAUNCH_FINISH with each ID block), the digest log's record of it
# (test_launch_digest.py: the same pages; a launch-finish whose digest is
# the ID block's LD only for the good block; for launch-vmsa one VMSA,
# measured last, and the digest recomputed over it) and what the kernel
# said during it and its teardown (KVM returns the VMSA page with
# RMPUPDATE when the vCPU is freed). BAD_SIGNATURE does not say which
# signature the firmware refused: the two cases that expect it differ from
# the good ID block and auth in one byte of one signature
# (make_id_block.py checks that), so they count only when the firmware
# accepted the good pair.
id_block_ok=""
for t in "${later_launches[@]}"; do
	line=$(step_line "$t")
	logline=$(grep -m1 -E "^(PASS|FAIL) ${t}[ :]" <<<"$check" || true)
	t_bad=$(dmesg_of "$t" | grep -E "$DMESG_BAD|Leaking PFN" || true)
	why=""
	if [ -n "$not_run" ]; then
		why=$not_run
	elif [ -n "$id_err" ] && [[ $t == id-block* ]]; then
		why="no ID blocks: $id_err"
	elif [ -z "$line" ]; then
		why="did not run${first_bad:+ (snp-launch: $first_bad)}, log: $console"
	elif [[ $line != ok && $line != 'ok '* ]]; then
		why="$line, log: $console"
	fi
	if [ -z "$why" ]; then
		if [ -z "$logline" ]; then
			why="test_launch_digest.py gave no result: $(tail -n 1 "$OUT/l3-stock-digest-check.err" 2>/dev/null)"
		elif [[ $logline == FAIL* ]]; then
			why="digest log: ${logline#"FAIL $t: "}$log_ref"
		fi
	fi
	[ -z "$t_bad" ] || why="${why:+$why; }$(head -n 1 <<<"$t_bad")"
	if [ -z "$why" ] && [ -z "$id_block_ok" ] &&
		[[ $t == id-block-bad-signature || $t == id-block-bad-author-sig ]]; then
		why="BAD_SIGNATURE as expected, but the firmware did not accept the good ID block (stock-6.12:id-block), so it may have refused another signature"
	fi
	if [ -z "$why" ]; then
		[ "$t" != id-block ] || id_block_ok=1
		result PASS L3 "stock-6.12:$t" "${line#ok }; digest log: ${logline#"PASS $t "}; no WARN, BUG or leaked page in dmesg"
	else
		result FAIL L3 "stock-6.12:$t" "$why"
	fi
done

# --- msr-locks: the SNP MSRs' lock rules, through upstream's msr driver ----
# After SNP_EN: RMP_BASE/RMP_END read-only, SNP_EN and MemEncryptionModEn
# sticky, HWCR.SmmLock sticky; an unchanged SYSCFG write still works.
locks=$(grep '^MSR-LOCK ' "$console" || true)
end=$(grep -m1 '^MSR-LOCK-END' "$console" || echo 'no MSR-LOCK-END line')
ok=$(grep -c ' ok$' <<<"$locks" || true)
if [ "$end" = 'MSR-LOCK-END rc=0' ] && [ "$ok" -ge 7 ] && ! grep -q ' FAIL ' <<<"$locks"; then
	result PASS L3 stock-6.12:msr-locks "$ok checks on $(cut -d' ' -f2 <<<"$locks" | cut -d: -f1 | sort -u | wc -l) CPUs"
else
	result FAIL L3 stock-6.12:msr-locks "$(grep -m1 ' FAIL ' <<<"$locks" || echo "$end"), log: $console"
fi
