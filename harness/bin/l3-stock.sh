#!/usr/bin/env bash
# L3: boot Debian's stock linux-image 6.12 on the SNP platform model, so that
# upstream's own SNP host code (RMP table, IOMMU, SNP_EN, the ccp driver and
# kvm_amd) checks the model. The package is fetched on demand with apt-get
# download into a cache outside the clone and unpacked into out/stock-6.12/;
# the initramfs holds static busybox, ccp, kvm, kvm_amd and their
# dependencies, msr, tools/testing/snp-platform/tests/snp-platform-status.c,
# tools/testing/snp-platform/tests/snp-launch.c (an SNP guest's launch
# through upstream's KVM uAPI, then the same launch finished with ID blocks
# that tests/make_id_block.py makes here, and with a vCPU whose VMSA is
# measured; all checked against the model's digest log by
# tests/launch-digest/test_launch_digest.py) and harness/l3-stock/init.
# What the model cannot do yet is reported as SKIP with the reason the log
# shows.
. "$(dirname "$0")/lib.sh"

meta=linux-image-6.12-amd64
stock=$OUT/stock-6.12
stock_cache=${SNP_STOCK_CACHE:-/var/cache/snp-stock-6.12}
qemu=$OUT/model/build/qemu-system-x86_64

# The launches of snp-launch after its first, one test each (and each a
# step of its own in dmesg).
later_launches=(id-block id-block-bad-measurement id-block-bad-signature id-block-bad-policy
	id-block-bad-author-sig launch-vmsa)
# skip_from N REASON: SKIP the tests from the N-th (0: fetch) on.
tests=(fetch boot snp-host platform-status kvm-amd snp-launch snp-launch-cpuid-fixup
	snp-launch-reupdate launch-digest decommission "${later_launches[@]}" msr-locks)
skip_from() {
	local t
	for t in "${tests[@]:$1}"; do
		result SKIP L3 "stock-6.12:$t" "$2"
	done
	exit 0
}

# --- fetch --------------------------------------------------------------
mkdir -p "$OUT"
t=$SECONDS
pkg=$(apt-cache depends "$meta" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1 || true)
if [ -z "$pkg" ]; then
	result FAIL L3 stock-6.12:fetch "apt-cache does not know $meta (bookworm-security missing from the apt sources?)"
	skip_from 1 "no stock kernel: the fetch failed"
fi
show=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null || true)
ver=$(awk '$1 == "Version:" { print $2; exit }' <<<"$show")
sha=$(awk '$1 == "SHA256:" { print $2; exit }' <<<"$show")
if [ -z "$ver" ] || [ -z "$sha" ]; then
	result FAIL L3 stock-6.12:fetch "apt-cache show $pkg gives no version or SHA256"
	skip_from 1 "no stock kernel: the fetch failed"
fi
mkdir -p "$stock_cache" 2>/dev/null || stock_cache=$OUT/stock-6.12-cache
mkdir -p "$stock_cache"
deb=$stock_cache/${pkg}_${ver/:/%3a}_amd64.deb
how=cached
if [ ! -f "$deb" ] || [ "$(sha256sum <"$deb" | cut -d' ' -f1)" != "$sha" ]; then
	how=downloaded
	rm -f "$deb"
	log "fetching $pkg $ver into $stock_cache"
	if ! (cd "$stock_cache" && apt-get download "$pkg=$ver") \
		>"$OUT/l3-stock-fetch.log" 2>&1 || [ ! -f "$deb" ]; then
		why=$(grep -m1 '^E:' "$OUT/l3-stock-fetch.log" || tail -n 1 "$OUT/l3-stock-fetch.log")
		skip_from 0 "apt-get download $pkg=$ver failed: ${why:-no output}"
	fi
	if [ "$(sha256sum <"$deb" | cut -d' ' -f1)" != "$sha" ]; then
		result FAIL L3 stock-6.12:fetch "$deb does not have the SHA256 apt lists"
		skip_from 1 "no stock kernel: the fetch failed"
	fi
	# Older builds of the package are of no further use.
	find "$stock_cache" -maxdepth 1 -name 'linux-image-6.12.*_amd64.deb' \
		! -name "$(basename "$deb")" -delete
fi

# Unpack once per package file; Debian's package has no modules.dep (its
# postinst runs depmod), so depmod makes one for the unpacked tree.
stamp="$pkg $ver $sha"
if [ "$(cat "$stock/.unpacked" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$stock"
	mkdir -p "$stock"
	if dpkg-deb -x "$deb" "$stock" 2>"$OUT/l3-stock-unpack.err" &&
		kver=$(ls "$stock/lib/modules" 2>/dev/null) &&
		depmod -b "$stock" "$kver" 2>>"$OUT/l3-stock-unpack.err"; then
		printf '%s\n' "$stamp" >"$stock/.unpacked"
	fi
fi
kver=$(ls "$stock/lib/modules" 2>/dev/null || true)
kernel=$stock/boot/vmlinuz-$kver
moddir=$stock/lib/modules/$kver
if [ ! -f "$stock/.unpacked" ] || [ ! -f "$kernel" ] || [ ! -f "$moddir/modules.dep" ]; then
	result FAIL L3 stock-6.12:fetch "cannot unpack $deb or run depmod on it: $(head -n 1 "$OUT/l3-stock-unpack.err" 2>/dev/null || true)"
	skip_from 1 "no stock kernel: the fetch failed"
fi
result PASS L3 stock-6.12:fetch "$pkg $ver ($how, kernel $kver), $((SECONDS - t)) s"

# --- initramfs ----------------------------------------------------------
t=$SECONDS
root=$OUT/l3-stock-root
initrd=$OUT/l3-stock-initramfs.cpio.gz
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
cp /bin/busybox "$root/bin/busybox"
cp "$HARNESS/l3-stock/init" "$root/init"
chmod +x "$root/init"
if ! gcc -static -O2 -Wall -Werror -o "$OUT/snp-platform-status" \
	"$TOP/tools/testing/snp-platform/tests/snp-platform-status.c" 2>"$OUT/l3-stock-cc.err"; then
	result FAIL L3 stock-6.12:boot "snp-platform-status.c does not build: $(grep -m1 'error' "$OUT/l3-stock-cc.err" || true)"
	exit 0
fi
strip -o "$root/bin/snp-platform-status" "$OUT/snp-platform-status"
if ! gcc -static -O2 -Wall -Werror -o "$OUT/snp-msr-locks" \
	"$TOP/tools/testing/snp-platform/tests/snp-msr-locks.c" 2>"$OUT/l3-stock-msr-cc.err"; then
	result FAIL L3 stock-6.12:boot "snp-msr-locks.c does not build: $(grep -m1 'error' "$OUT/l3-stock-msr-cc.err" || true)"
	exit 0
fi
strip -o "$root/bin/snp-msr-locks" "$OUT/snp-msr-locks"
# Without snp-launch the boot still tests the rest; its tests fail.
launch_cc=""
if gcc -static -O2 -Wall -Werror -o "$OUT/snp-launch" \
	"$TOP/tools/testing/snp-platform/tests/snp-launch.c" 2>"$OUT/l3-stock-launch-cc.err"; then
	strip -o "$root/bin/snp-launch" "$OUT/snp-launch"
else
	launch_cc="snp-launch.c does not build: $(grep -m1 'error' "$OUT/l3-stock-launch-cc.err" || true)"
fi
# The ID blocks of snp-launch's id-block launches, for the digest of its
# pages, with throwaway ID and author keys (tests/make_id_block.py: it
# needs python3-cryptography, which Debian's python3 has). Without them
# those launches fail and say why.
tests_dir=$TOP/tools/testing/snp-platform/tests
py=$(crypto_python)
id_err=""
if ! id_ld=$(python3 "$tests_dir/launch-digest/test_launch_digest.py" --print-ld \
	2>"$OUT/l3-stock-id-block.err"); then
	id_err="test_launch_digest.py --print-ld failed: $(tail -n 1 "$OUT/l3-stock-id-block.err")"
elif ! "$py" "$tests_dir/make_id_block.py" --ld "$id_ld" --out "$root/id-block" \
	>"$OUT/l3-stock-id-block.log" 2>"$OUT/l3-stock-id-block.err"; then
	id_err="make_id_block.py failed: $(tail -n 1 "$OUT/l3-stock-id-block.err")"
fi

# add_module NAME: the module and, first, what it needs, in the order
# modprobe would load them (the dependencies of a modules.dep line are
# listed users first, so they are loaded from the last one). Compressed
# modules are unpacked here: busybox insmod takes plain .ko files.
declare -A packed=()
: >"$root/modules.load"
pack() {
	local file=$1 name plain
	[ -z "${packed[$file]:-}" ] || return 0
	packed[$file]=1
	plain=${file%.xz}
	plain=${plain%.zst}
	plain=${plain%.gz}
	mkdir -p "$root/lib/modules/$(dirname "$plain")"
	case $file in
	*.xz) xz -dc "$moddir/$file" ;;
	*.zst) zstd -qdc "$moddir/$file" ;;
	*.gz) gzip -dc "$moddir/$file" ;;
	*) cat "$moddir/$file" ;;
	esac >"$root/lib/modules/$plain"
	name=$(basename "$plain" .ko)
	printf '%s %s\n' "${name//-/_}" "$plain" >>"$root/modules.load"
}
add_module() {
	local line deps i
	line=$(awk -v want="${1//_/-}" '{
		n = $1; sub(/:$/, "", n); sub(/.*\//, "", n)
		sub(/\.ko(\.(xz|zst|gz))?$/, "", n); gsub(/_/, "-", n)
		if (n == want) { print; exit }
	}' "$moddir/modules.dep")
	[ -n "$line" ] || return 1
	read -ra deps <<<"${line#*:}"
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
		pack "${deps[i]}"
	done
	pack "${line%%:*}"
}
for m in ccp kvm kvm_amd msr; do
	if ! add_module "$m"; then
		result FAIL L3 stock-6.12:boot "$kver has no module $m in modules.dep"
		exit 0
	fi
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd"
log "stock initramfs: $(tr '\n' ' ' <"$root/modules.load")($((SECONDS - t)) s)"

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
	"$kernel" "$initrd" "$log_file" "${L3_TIMEOUT:-300}" || rc=$?
tr -d '\r' <"$log_file" >"$log_file.txt"
console=$log_file.txt
if ! grep -q '^STOCK-DMESG-END' "$console"; then
	result FAIL L3 stock-6.12:boot "$kver did not finish booting (qemu rc=$rc), log: $console"
	exit 0
fi
booted=$(grep -m1 '^STOCK-BOOTED' "$console" | cut -c14- || true)
if [ "$booted" != "$kver" ]; then
	result FAIL L3 stock-6.12:boot "booted '$booted' instead of $kver, log: $console"
	exit 0
fi
result PASS L3 stock-6.12:boot "$booted: $((SECONDS - t)) s to boot and power off"

# The kernel's dmesg without timestamps. The init announces each step in it
# ("l3-stock: insmod ccp", "l3-stock: probe", ...): dmesg_of STEP... prints
# what the kernel said during those steps, dmesg_besides STEP... the rest
# (boot included), so that every line counts for exactly one test.
dmesg_all=$OUT/l3-stock-dmesg.txt
sed -n '/^STOCK-DMESG-BEGIN/,/^STOCK-DMESG-END/p' "$console" |
	sed -n 's/^\[ *[0-9.]*\] //p' >"$dmesg_all"
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
