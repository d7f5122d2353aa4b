#!/usr/bin/env bash
# Evaluate the boot of Debian's stock 6.12 on the SNP platform model (L3):
# the results stock-6.12:snp-host to stock-6.12:msr-locks from the init's
# KTAP (harness/l3-stock/init, read with harness/bin/ktap.py), the kernel's
# dmesg and the model's digest log.
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

# The init's results, and snp-launch's with its diagnostics.
parsed=$(ktap --all "$console")
launch=$(ktap --all --diag --subtest snp-launch "$console")
# st RESULT / det RESULT: the status and the detail of a ktap_get answer.
st() { printf '%s\n' "${1%%$'\t'*}"; }
det() { [ -n "$1" ] && printf '%s\n' "${1#*$'\t'}"; }

# The kernel's dmesg without timestamps. The init announces each step in it
# ("l3-stock: insmod ccp", "l3-stock: probe", ...): dmesg_of STEP... prints
# what the kernel said during those steps, dmesg_besides STEP... the rest
# (boot included), so that every line counts for exactly one test.
dmesg_all=$OUT/l3-stock-dmesg.txt
dmesg_dump "$console" >"$dmesg_all"
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
cpu_flags=$(ktap_get "$parsed" cpu-flags)
flags=" $(det "$cpu_flags" | sed 's/^no sev_snp in \/proc\/cpuinfo: //') "

# --- snp-host: upstream's SNP host code on the model ----------------------
# It reads the RMP table range from the MSRs at boot, enables SNP in the
# IOMMU, then sets SYSCFG.SNP_EN (bit 24) on every CPU (the init checks
# SYSCFG and the CPU flags).
rmp=$(grep -m1 '^SEV-SNP: RMP table physical range' "$dmesg_all" || true)
snp_err=$(grep -E '^SEV-SNP: (Memory|RMP configuration|Failed)' "$dmesg_all" || true)
iommu_snp=$(grep -m1 'IOMMU SNP support enabled' "$dmesg_all" || true)
syscfg=$(ktap_get "$parsed" syscfg-snp-en)
host_bad=$(dmesg_besides "${ccp_steps[@]}" "${kvm_steps[@]}" snp-launch "${later_launches[@]}" | bad)
if [ -n "$rmp" ] && [ -z "$snp_err" ] && [ -n "$iommu_snp" ] &&
	[ "$(st "$cpu_flags")" = PASS ] && [ "$(st "$syscfg")" = PASS ] && [ -z "$host_bad" ]; then
	result PASS L3 stock-6.12:snp-host "$rmp; $iommu_snp; sev_snp in /proc/cpuinfo; $(det "$syscfg")"
else
	why=""
	[ -n "$rmp" ] || why+="no 'RMP table physical range' line; "
	[ -z "$snp_err" ] || why+="$(head -n 1 <<<"$snp_err"); "
	[ -n "$iommu_snp" ] || why+="no 'IOMMU SNP support enabled' line; "
	[ "$(st "$cpu_flags")" = PASS ] || why+="${cpu_flags:+$(det "$cpu_flags")}${cpu_flags:-CPU flags not checked}; "
	[ "$(st "$syscfg")" = PASS ] || why+="${syscfg:+$(det "$syscfg")}${syscfg:-SYSCFG not checked}; "
	[ -z "$host_bad" ] || why+="$(head -n 1 <<<"$host_bad"); "
	result FAIL L3 stock-6.12:snp-host "${why%; }, log: $console"
fi

# --- platform-status: upstream's ccp and /dev/sev on the model's PSP ------
# kvm_amd's load initialises SNP (SNP_INIT_EX) and then legacy SEV; the
# status must then show an initialised RMP.
ccp_bad=$(dmesg_of "${ccp_steps[@]}" | bad)
prog=$(ktap_get "$parsed" snp-platform-status)
snp_st=$(ktap_get "$parsed" snp-platform-status:SNP_PLATFORM_STATUS)
sev_st=$(ktap_get "$parsed" snp-platform-status:PLATFORM_STATUS)
if [ -z "$prog" ]; then
	result FAIL L3 stock-6.12:platform-status "snp-platform-status did not run${ccp_bad:+; $(head -n 1 <<<"$ccp_bad")}, log: $console"
elif [ -z "$snp_st" ]; then
	result FAIL L3 stock-6.12:platform-status "$(det "$prog")${ccp_bad:+; $(head -n 1 <<<"$ccp_bad")}, log: $console"
elif [ "$(st "$prog")" = PASS ] && [ "$(st "$snp_st")" = PASS ] && [ "$(st "$sev_st")" = PASS ] &&
	[[ " $(det "$snp_st") " =~ \ rmp_initialized\ 1\  ]] && [[ " $(det "$snp_st") " =~ \ state\ 1\  ]] &&
	[ -z "$ccp_bad" ]; then
	result PASS L3 stock-6.12:platform-status "SNP_PLATFORM_STATUS $(det "$snp_st"); PLATFORM_STATUS $(det "$sev_st")"
else
	result FAIL L3 stock-6.12:platform-status "SNP_PLATFORM_STATUS: $(st "$snp_st") $(det "$snp_st"); PLATFORM_STATUS: $(st "$sev_st") $(det "$sev_st") (snp-platform-status: $(det "$prog"))${ccp_bad:+; $(head -n 1 <<<"$ccp_bad")}, log: $console"
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
if [ "$(ktap_status "$parsed" insmod:kvm_amd)" != PASS ]; then
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
# SNP_LAUNCH_FINISH and the teardown (the subtests of its test
# "snp-launch"); then the model's digest log must hold the digest of
# exactly those pages and the guest context's decommission.
wrapper=$(ktap_get "$parsed" snp-launch)
not_run=""
if [ -n "$launch_cc" ]; then
	not_run=$launch_cc
elif [ -z "$wrapper" ]; then
	not_run="snp-launch did not finish (no result from the init), log: $console"
elif [ -z "$launch" ] || [ "$(det "$wrapper")" = "snp-launch is not in the initramfs" ]; then
	not_run="$(det "$wrapper"), log: $console"
fi
positive=(open-kvm open-sev vm-types create-vm init2 create-gmem mmap set-memory-region2
	set-attributes launch-start update-normal-0 update-normal-1-2 update-zero-3
	update-unmeasured-4 update-secrets-5 update-cpuid-6 launch-finish close)
first_bad=""
for s in "${positive[@]}"; do
	line=$(ktap_get "$launch" "snp-launch:$s")
	if [ "$(st "$line")" != PASS ]; then
		first_bad="$s: ${line:+$(det "$line")}${line:-did not run}"
		break
	fi
done
if [ -n "$not_run" ]; then
	result FAIL L3 stock-6.12:snp-launch "$not_run"
elif [ -n "$first_bad" ]; then
	result FAIL L3 stock-6.12:snp-launch "$first_bad, log: $console"
else
	result PASS L3 stock-6.12:snp-launch "${#positive[@]} steps: VM, INIT2, guest_memfd, LAUNCH_START, 6 LAUNCH_UPDATEs (7 pages), LAUNCH_FINISH, teardown"
fi

# The two updates that must fail: a CPUID page claiming every bit of leaf
# 0x7.0 (INVALID_PARAM, corrected page copied back) and gfn 0 again.
for t in cpuid-fixup reupdate; do
	line=$(ktap_get "$launch" "$t")
	if [ -n "$not_run" ]; then
		result FAIL L3 "stock-6.12:snp-launch-$t" "$not_run"
	elif [ "$(st "$line")" = PASS ]; then
		result PASS L3 "stock-6.12:snp-launch-$t" "$(det "$line")"
	elif [ -n "$line" ]; then
		result FAIL L3 "stock-6.12:snp-launch-$t" "$(det "$line"), log: $console"
	else
		result FAIL L3 "stock-6.12:snp-launch-$t" "did not run${first_bad:+ (snp-launch: $first_bad)}, log: $console"
	fi
done

# launch-digest and decommission: the digest log, recomputed independently
# (test_launch_digest.py --check-log prints KTAP too).
launch_bad=$(dmesg_of snp-launch | grep -E "$DMESG_BAD|Leaking PFN" || true)
check="" log_ref="" log_missing=""
if [ -n "$no_digest_log" ]; then
	log_missing=$no_digest_log
elif [ ! -s "$digest_log" ]; then
	log_missing="the model wrote no digest log to $digest_log"
fi
if [ -n "$log_missing" ]; then
	for t in launch-digest decommission "${later_launches[@]}"; do
		check+="FAIL"$'\t'"$t"$'\t'"$log_missing"$'\n'
	done
else
	log_ref=", digest log: $digest_log"
	# The launches snp-launch started, in the order of the digest log: its
	# diagnostics "# launched NAME".
	launched=$(awk -F '\t' '$1 == "DIAG" && $3 ~ /^launched / { print substr($3, 10) }' \
		<<<"$launch" | paste -sd, -)
	python3 "$tests_dir/launch-digest/test_launch_digest.py" \
		--check-log "$digest_log" --launches "$launched" --id-dir "$root/id-block" \
		>"$OUT/l3-stock-digest-check.log" 2>"$OUT/l3-stock-digest-check.err" || true
	check=$(ktap "$OUT/l3-stock-digest-check.log")
fi
for t in launch-digest decommission; do
	line=$(ktap_get "$check" "$t")
	why=""
	if [ -z "$line" ]; then
		why="test_launch_digest.py gave no result: $(tail -n 1 "$OUT/l3-stock-digest-check.err" 2>/dev/null)"
	elif [ "$(st "$line")" != PASS ]; then
		why=$(det "$line")
	fi
	if [ "$t" = decommission ] && [ -n "$launch_bad" ]; then
		why="${why:+$why; }$(head -n 1 <<<"$launch_bad")"
	fi
	if [ -z "$why" ]; then
		detail=$(det "$line")
		[ "$t" = launch-digest ] || detail+="; no WARN, BUG or leaked page in dmesg"
		result PASS L3 "stock-6.12:$t" "$detail"
	else
		[ -z "$first_bad" ] || why+=" (snp-launch: $first_bad)"
		result FAIL L3 "stock-6.12:$t" "$why$log_ref"
	fi
done

# The later launches: snp-launch's test for each (the firmware status of
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
	line=$(ktap_get "$launch" "$t")
	logline=$(ktap_get "$check" "$t")
	t_bad=$(dmesg_of "$t" | grep -E "$DMESG_BAD|Leaking PFN" || true)
	why=""
	if [ -n "$not_run" ]; then
		why=$not_run
	elif [ -n "$id_err" ] && [[ $t == id-block* ]]; then
		why="no ID blocks: $id_err"
	elif [ -z "$line" ]; then
		why="did not run${first_bad:+ (snp-launch: $first_bad)}, log: $console"
	elif [ "$(st "$line")" != PASS ]; then
		why="$(det "$line"), log: $console"
	fi
	if [ -z "$why" ]; then
		if [ -z "$logline" ]; then
			why="test_launch_digest.py gave no result: $(tail -n 1 "$OUT/l3-stock-digest-check.err" 2>/dev/null)"
		elif [ "$(st "$logline")" != PASS ]; then
			why="digest log: $(det "$logline")$log_ref"
		fi
	fi
	[ -z "$t_bad" ] || why="${why:+$why; }$(head -n 1 <<<"$t_bad")"
	if [ -z "$why" ] && [ -z "$id_block_ok" ] &&
		[[ $t == id-block-bad-signature || $t == id-block-bad-author-sig ]]; then
		why="BAD_SIGNATURE as expected, but the firmware did not accept the good ID block (stock-6.12:id-block), so it may have refused another signature"
	fi
	if [ -z "$why" ]; then
		[ "$t" != id-block ] || id_block_ok=1
		result PASS L3 "stock-6.12:$t" "$(det "$line"); digest log: $(det "$logline"); no WARN, BUG or leaked page in dmesg"
	else
		result FAIL L3 "stock-6.12:$t" "$why"
	fi
done

# --- msr-locks: the SNP MSRs' lock rules, through upstream's msr driver ----
# After SNP_EN: RMP_BASE/RMP_END read-only, SNP_EN and MemEncryptionModEn
# sticky, HWCR.SmmLock sticky; an unchanged SYSCFG write still works. One
# result for all of snp-msr-locks' cases (7 per CPU); a failed case names
# itself.
prog=$(ktap_get "$parsed" snp-msr-locks)
locks=$(ktap --subtest snp-msr-locks "$console")
ok=$(grep -c '^PASS' <<<"$locks" || true)
if [ "$(st "$prog")" = PASS ] && [ "$ok" -ge 7 ] && ! grep -q '^FAIL' <<<"$locks"; then
	result PASS L3 stock-6.12:msr-locks "$ok checks on $(grep '^PASS' <<<"$locks" | cut -f2 | cut -d: -f1 | sort -u | wc -l) CPUs"
else
	bad=$(grep -m1 '^FAIL' <<<"$locks" | cut -f2- | sed 's/\t/: /' || true)
	result FAIL L3 stock-6.12:msr-locks "${bad:-snp-msr-locks: ${prog:+$(det "$prog")}${prog:-did not run}}, log: $console"
fi

# --- dev-sev: /dev/sev answers as 6.12's does ------------------------------
# tests/dev-sev-errors.c sends /dev/sev requests that are wrong in one way
# each (and a few good ones) with SNP initialised, on both kernels on the
# same model: the answer (return value, errno, firmware status field) of
# this series' kernel (L3-model's boot) must be stock 6.12's for every
# case; which check comes first shows in which error wins. One result per
# case, stock-6.12:dev-sev:CASE.
stock_dse=$(ktap --subtest dev-sev-errors "$console")
ours_log=$VOUT/l3-model.log
ours_dse=""
[ -f "$ours_log" ] && ours_dse=$(ktap --subtest dev-sev-errors "$(console_text "$ours_log")")
if [ -z "$stock_dse" ]; then
	result FAIL L3 stock-6.12:dev-sev "dev-sev-errors did not run on 6.12: $(det "$(ktap_get "$parsed" dev-sev-errors)"), log: $console"
elif [ -z "$ours_dse" ]; then
	result FAIL L3 stock-6.12:dev-sev "dev-sev-errors did not run on our kernel (L3-model), log: $ours_log"
else
	while IFS=$'\t' read -r s name detail; do
		[ "$s" = PASS ] || {
			result FAIL L3 "stock-6.12:dev-sev:$name" "on 6.12 the case itself failed: $detail"
			continue
		}
		ours=$(awk -F '\t' -v n="$name" '$2 == n { print $1 "\t" $3; exit }' <<<"$ours_dse")
		if [ -z "$ours" ]; then
			result FAIL L3 "stock-6.12:dev-sev:$name" "6.12: $detail; ours: not run"
		elif [ "$ours" = "PASS"$'\t'"$detail" ]; then
			result PASS L3 "stock-6.12:dev-sev:$name" "$detail on both"
		else
			result FAIL L3 "stock-6.12:dev-sev:$name" "6.12: $detail; ours: ${ours#*$'\t'}"
		fi
	done <<<"$stock_dse"
fi
