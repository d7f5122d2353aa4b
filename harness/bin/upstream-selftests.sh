#!/usr/bin/env bash
# The upstream level: upstream 6.12's own KVM selftests (upstream-build.sh)
# on the SNP platform model, once on our kernel and once on Debian's stock
# 6.12 (stock-fetch.sh), each result held against harness/upstream/expected.
# The series' own uAPI tests listed there as series/NAME run the same way,
# so that upstream's kernel answers them too.
# One boot per kernel (harness/upstream/init); a kernel warning, oops or
# lockdep/KASAN report in our kernel's boot fails the level, as in L2.
. "$(dirname "$0")/lib.sh"

expected=$HARNESS/upstream/expected
bins=$OUT/upstream-selftests
qemu=$OUT/model/build/qemu-system-x86_64
mapfile -t tests < <(grep -Ev '^[[:space:]]*(#|$)' "$expected" | cut -d' ' -f1)

# skip_all SIDE WHY: every test of SIDE (ours, stock-6.12) as skipped.
skip_all() {
	local t
	for t in "${tests[@]}"; do result SKIP upstream "$1:$t" "$2"; done
}

# --- build ----------------------------------------------------------------
t=$SECONDS
if ! "$HARNESS/bin/upstream-build.sh" 2>"$VOUT/upstream-build.err"; then
	why=$(sed -n 's/^ERROR: //p' "$VOUT/upstream-build.err" | tail -n 1)
	result FAIL upstream build "${why:-see $VOUT/upstream-build.err}"
	skip_all ours "not built"
	skip_all stock-6.12 "not built"
	exit 0
fi
n_series=$(printf '%s\n' "${tests[@]}" | grep -c '^series/' || true)
result PASS upstream build "$((${#tests[@]} - n_series)) tests of $UPSTREAM_PACKAGE $UPSTREAM_VERSION, $((SECONDS - t)) s"

# Our own uAPI tests (series/NAME: the series' selftest NAME), built as L2
# builds them; the same binaries run on both kernels.
series_bins=$OUT/selftests-kvm
if [ "$n_series" != 0 ]; then
	targets=()
	for t in "${tests[@]}"; do
		[[ $t == series/* ]] && { t=${t%%,*}; targets+=("${t#series/}"); }
	done
	if ! why=$(build_series_selftests "$OUT/upstream-series-build.log" "${targets[@]}"); then
		result FAIL upstream series-build "$why"
		skip_all ours "not run: the series' own tests did not build"
		skip_all stock-6.12 "not run: the series' own tests did not build"
		exit 0
	fi
	result PASS upstream series-build "$n_series of the series' own uAPI tests"
fi
if [ ! -x "$qemu" ]; then
	result FAIL upstream model "no platform model at $qemu (model:build failed, or run make model)"
	exit 0
fi

# initramfs KERNEL-MODDIR OUT: the init, the modules and the tests.
initramfs() {
	local root=$VOUT/upstream-root name secs bin _
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,tests,lib/modules}
	cp /bin/busybox "$root/bin/busybox"
	cp "$HARNESS/upstream/init" "$root/init"
	chmod +x "$root/init"
	cp "$HARNESS/initramfs/ktap.sh" "$HARNESS/initramfs/selftests.sh" "$root/lib/"
	pack_modules "$1" "$root" ccp kvm kvm_amd || return 1
	while read -r name secs _; do
		# NAME,ARG,...: the binary NAME, run with those arguments.
		bin=${name%%,*}
		mkdir -p "$root/tests/$(dirname "$bin")"
		case $bin in
		series/*) strip -o "$root/tests/$bin" "$series_bins/${bin#series/}" ;;
		*) strip -o "$root/tests/$bin" "$bins/$bin" ;;
		esac
		echo "$name $secs" >>"$root/tests/list"
	done < <(grep -Ev '^[[:space:]]*(#|$)' "$expected")
	pack_initramfs "$root" "$2"
}

# run SIDE KERNEL MODDIR: boot KERNEL on the model with the tests; sets
# console (the log) and parsed (its KTAP), or reports why not and fails.
run() {
	local side=$1 kernel=$2 initrd=$VOUT/upstream-$1.cpio.gz log_file rc=0 t=$SECONDS
	if ! initramfs "$3" "$initrd" 2>"$VOUT/upstream-$side-initramfs.err"; then
		result FAIL upstream "$side:initramfs" "$(sed -n 's/^ERROR: //p' "$VOUT/upstream-$side-initramfs.err" | head -n 1)"
		skip_all "$side" "no initramfs"
		return 1
	fi
	log "booting $side on the SNP platform model with upstream's selftests"
	log_file=$VOUT/upstream-$side.log
	QEMU_MODEL=1 KERNEL_ARGS="" "$HARNESS/bin/qemu-boot.sh" "$kernel" "$initrd" \
		"$log_file" "${UPSTREAM_TIMEOUT:-2400}" || rc=$?
	console=$(console_text "$log_file")
	parsed=$(ktap --all "$console")
	log "$side: $((SECONDS - t)) s to boot, run the tests and power off"
	if ! dmesg_done "$console"; then
		result FAIL upstream "$side:boot" "did not finish (qemu rc=$rc), log: $console"
	fi
	# The modules the tests need must load; a failed insmod fails here
	# rather than hide behind the tests' expected skips.
	ktap_report upstream "$(ktap --match insmod: --prefix "$side:insmod:" "$console")"
}

# judge SIDE COLUMN: each test's result against its expectation in column
# COLUMN (3: ours, 4: stock) of the expectations: STATUS or STATUS@TEXT,
# where the result's detail (the skip reason, the failed assertion) must
# contain TEXT. A failure by timeout (exit code 137) is never expected.
judge() {
	local side=$1 col=$2 name want match why got status detail
	while read -r name want why; do
		match=""
		case $want in *@*) match=${want#*@} want=${want%%@*} ;; esac
		got=$(ktap_get "$parsed" "selftests: kvm: $name" || true)
		status=${got%%$'\t'*} detail=${got#*$'\t'}
		[ -n "$got" ] || { status=MISSING detail="no result, log: $console"; }
		[ "$status" = "$got" ] && detail=""
		if [ "$status" = "$want" ] && { [ "$status" = PASS ] ||
			{ [[ "$detail" == *"$match"* ]] && [[ "$detail" != "exit code 137"* ]]; }; }; then
			case $want in
			PASS) result PASS upstream "$side:$name" "passes${detail:+ ($detail)}" ;;
			SKIP) result SKIP upstream "$side:$name" "skips as expected: ${detail:-no reason given}" ;;
			FAIL) result SKIP upstream "$side:$name" "fails as expected (${why:-no reason in $expected}): $detail" ;;
			esac
		elif [ "$want" != PASS ] && [ "$status" = PASS ]; then
			result FAIL upstream "$side:$name" "passes now, expected $want: raise its expectation in harness/upstream/expected"
		else
			result FAIL upstream "$side:$name" "expected $want${match:+ with '$match'}, got $status${detail:+: $detail}"
		fi
	done < <(grep -Ev '^[[:space:]]*(#|$)' "$expected" | awk -v c="$col" '{
		r = ""; for (i = 5; i <= NF; i++) r = r (r == "" ? "" : " ") $i
		print $1, $c, r }')
}

# --- our kernel -------------------------------------------------------------
kver=$(kmake -s kernelrelease)
if run ours "$OBJ/arch/x86/boot/bzImage" "$MODULES/lib/modules/$kver"; then
	judge ours 3
	if ! dmesg_done "$console"; then
		:
	elif bad=$(dmesg_bad "$console"); then
		printf '%s\n' "$bad" | head -n 20 | sed 's/^/    /' >&2
		result FAIL upstream ours:dmesg "kernel warnings or oopses, log: $console"
	else
		result PASS upstream ours:dmesg "no WARN, BUG, oops, lockdep or KASAN report"
	fi
fi

# --- Debian's stock 6.12 ----------------------------------------------------
rc=0
info=$("$HARNESS/bin/stock-fetch.sh" 2>"$VOUT/upstream-stock-fetch.err") || rc=$?
if [ $rc != 0 ]; then
	why=$(grep -v '^==>' "$VOUT/upstream-stock-fetch.err" | tail -n 1 || true)
	[ $rc = 2 ] || result FAIL upstream stock-6.12:fetch "$why"
	skip_all stock-6.12 "no stock kernel: $why"
	exit 0
fi
read -r _ _ _ skver <<<"$info"
if run stock-6.12 "$OUT/stock-6.12/boot/vmlinuz-$skver" "$OUT/stock-6.12/lib/modules/$skver"; then
	judge stock-6.12 4
fi
