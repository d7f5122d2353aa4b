# shellcheck shell=dash
# KTAP output of the initramfs inits (harness/l2/init, harness/l3-stock/init),
# sourced by busybox sh as /lib/ktap.sh; harness/bin/ktap.py reads it on the
# host. Like kselftest's runner.sh: "ok N name", "not ok N name # reason",
# "ok N name # SKIP reason", the output of a program as "# " lines, and the
# KTAP of our own test programs as a subtest (indented by four spaces).

ktap_n=0

# ktap_header N: the version line and the plan of N tests.
ktap_header() {
	echo "TAP version 13"
	echo "1..$1"
}

# ktap_result ok|fail|skip NAME [DETAIL]: the next test's result line. The
# detail of an "ok" says what the test found; of a "not ok", why it failed.
ktap_result() {
	ktap_n=$((ktap_n + 1))
	case $1 in
	ok) echo "ok $ktap_n $2${3:+ # $3}" ;;
	fail) echo "not ok $ktap_n $2 # ${3:-failed}" ;;
	skip) echo "ok $ktap_n $2 # SKIP ${3:-skipped}" ;;
	esac
}

# ktap_check NAME COMMAND...: ok when COMMAND succeeds, else not ok with the
# last line it printed as the reason.
ktap_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ktap_result ok "$name"
	else
		ktap_result fail "$name" "$(echo "$out" | tail -n 1)"
	fi
}

# ktap_diag: standard input as diagnostic lines.
ktap_diag() {
	sed 's/^/# /'
}

# ktap_run NAME COMMAND...: run a test program that prints KTAP; its output
# becomes NAME's subtests, its exit status NAME's result (4: skipped, as in
# kselftest). The output is shown while the program runs.
ktap_run() {
	local name=$1 rc
	shift
	{ "$@" 2>&1; echo $? >/tmp/ktap-rc; } | sed 's/^/    /'
	rc=$(cat /tmp/ktap-rc)
	case $rc in
	0) ktap_result ok "$name" ;;
	4) ktap_result skip "$name" "exit=4" ;;
	*) ktap_result fail "$name" "exit=$rc" ;;
	esac
}

# dmesg_dump: the kernel log between DMESG-BEGIN and DMESG-END lines, for
# dmesg_dump in harness/bin/guest.sh.
dmesg_dump() {
	echo "DMESG-BEGIN"
	dmesg
	echo "DMESG-END"
}
