# shellcheck shell=dash
# The KVM selftests runner of the initramfs inits (harness/l2/init,
# harness/upstream/init), sourced by busybox sh as /lib/selftests.sh after
# /lib/ktap.sh.
#
# run_selftests LIST: run each "NAME SECONDS [ARGS]" line of LIST as
# /tests/NAME with that timeout and give one KTAP result
# "selftests: kvm: NAME" each (a NAME of the form BIN,ARG,... runs
# /tests/BIN with those arguments before ARGS, so that one binary can be
# listed twice with different arguments), as kselftest's runner.sh does,
# with the test's output as diagnostics: exit status 4 is a skip (with the
# line that says why), any other but 0 a failure (with the failed
# assertion that KVM selftests print after their "Test Assertion Failure"
# banner).
#
# Where the kernel has /sys/kernel/debug/kvm/guest_memfd_pages (the
# series), the count of pages in guest_memfd page caches must be back to
# its value before the test once the test has exited and its files are
# closed: a test after which it is not fails, with the difference.
#
# /tests/retry-once, when present, names tests that assert on how much
# guest time passed; under TCG a preempted vCPU thread can fail them, so a
# failure of one of them is followed by one more run and its result says
# that the second run was needed and why the first failed. A timeout is
# not retried.

# selftest_once NAME SECONDS ARGS: one run; leaves /tmp/rc, /tmp/out and
# /tmp/took (seconds).
selftest_once() {
	local t0 bin=${1%%,*} pre=""
	[ "$bin" = "$1" ] || pre=$(echo "${1#*,}" | tr , ' ')
	t0=$(date +%s)
	# shellcheck disable=SC2086
	{ timeout -s KILL "$2" "/tests/$bin" $pre $3 2>&1; echo $? >/tmp/rc; } </dev/null |
		tee /tmp/out | ktap_diag
	echo $(($(date +%s) - t0)) >/tmp/took
}

# selftest_failure: why the last run failed, in one line.
selftest_failure() {
	local what
	what=$(grep -A1 'Test Assertion Failure' /tmp/out | sed -n 2p | xargs)
	echo "exit code $(cat /tmp/rc)${what:+: $what}"
}

GMEM_PAGES=/sys/kernel/debug/kvm/guest_memfd_pages

# gmem_pages: the count, or nothing on a kernel without it.
gmem_pages() {
	cat "$GMEM_PAGES" 2>/dev/null || true
}

run_selftests() {
	local name secs args first rc why pages0 pages1 leak
	while read -r name secs args; do
		pages0=$(gmem_pages)
		selftest_once "$name" "$secs" "$args"
		first=""
		rc=$(cat /tmp/rc)
		# Not after a skip, nor after a timeout (137: killed), which is
		# a hang, not a clock read.
		if [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$rc" != 137 ] &&
			grep -qxF "$name" /tests/retry-once 2>/dev/null; then
			first=$(selftest_failure)
			echo "# $name failed ($first); running it once more"
			selftest_once "$name" "$secs" "$args"
			rc=$(cat /tmp/rc)
		fi
		pages1=$(gmem_pages) leak=""
		if [ "$pages0" != "$pages1" ] && [ "$rc" != 137 ]; then
			leak="guest_memfd pages leaked: $pages0 before, $pages1 after"
			echo "# $leak"
		fi
		case $rc in
		0|4) [ -z "$leak" ] || rc=leak ;;
		esac
		case $rc in
		0)
			ktap_result ok "selftests: kvm: $name" \
				"$(cat /tmp/took) s${first:+, on the 2nd run (1st: $first)}" ;;
		4)
			why=$(grep -iE 'skip|requir|not supported' /tmp/out | head -n 1 |
				sed 's/^1\.\.0 # SKIP - //' | xargs)
			ktap_result skip "selftests: kvm: $name" \
				"${why:-the test skipped itself}${first:+ (1st run failed: $first)}" ;;
		leak)
			ktap_result fail "selftests: kvm: $name" "$leak" ;;
		*)
			ktap_result fail "selftests: kvm: $name" \
				"$(selftest_failure)${first:+ (1st run: $first)}${leak:+; $leak}" ;;
		esac
	done <"$1"
}
