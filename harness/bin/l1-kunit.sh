#!/usr/bin/env bash
# L1: run the KUnit suites of harness/configs/kunitconfig with
# "kunit.py run --arch=x86_64" (QEMU TCG) on the kernel make built, and
# report every test case.
. "$(dirname "$0")/lib.sh"

kunitconfig=$HARNESS/configs/kunitconfig
json=$VOUT/kunit.json
log_file=$VOUT/kunit.log
rm -f "$json"

# The test kernel already contains the kunitconfig options. Record them the
# way kunit.py does after configuring, so that kunit.py reuses the build
# instead of replacing .config with its own.
(cd "$SRC/tools/testing/kunit" && python3 - "$OBJ" "$kunitconfig" <<'PY'
import os, sys
import kunit_kernel
build_dir, kunitconfig = sys.argv[1:]
tree = kunit_kernel.LinuxSourceTree(build_dir, kunitconfig_paths=[kunitconfig], arch='x86_64')
wanted = tree._ops.make_arch_config(tree._kconfig)
have = kunit_kernel.kunit_config.parse_file(kunit_kernel.get_kconfig_path(build_dir))
if not wanted.is_subset_of(have):
    missing = set(wanted.as_entries()) - set(have.as_entries())
    sys.exit('kunitconfig options missing from the test kernel: ' +
             ', '.join(str(e) for e in missing))
old = kunit_kernel.get_old_kunitconfig_path(build_dir)
if os.path.exists(old):
    os.remove(old)
wanted.write_to_file(old)
PY
) || { result FAIL L1 kunit "the test kernel lacks kunitconfig options"; exit 0; }

rc=0
(cd "$SRC" && timeout 900 python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--build_dir="$OBJ_NAME" --kunitconfig="$kunitconfig" --jobs="$JOBS" \
	--timeout=600 --json="$json" >"$log_file" 2>&1) || rc=$?

if [ ! -s "$json" ]; then
	tail -n 30 "$log_file" >&2
	result FAIL L1 kunit "kunit.py produced no results (rc=$rc), log: $log_file"
	exit 0
fi
grep -q 'Regenerating .config\|Generating .config' "$log_file" &&
	log "warning: kunit.py reconfigured the build tree"

python3 - "$json" >"$VOUT/kunit-cases.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
def walk(group, prefix):
    for case in group.get('test_cases', []):
        status = {'PASS': 'PASS', 'SKIP': 'SKIP'}.get(case['status'], 'FAIL')
        print(status, prefix + case['name'])
    for sub in group.get('sub_groups', []):
        walk(sub, prefix + sub['name'] + '.')
walk(doc, '')
PY
while read -r status name; do
	if [ "$status" = FAIL ]; then
		# kunit.py's log has the failed expectation just before
		# "[FAILED] case"; show it and name its location.
		case_name=${name##*.}
		grep -B4 "\[FAILED\] $case_name\$" "$log_file" | sed 's/^/    /' >&2 || true
		where=$(grep -oE "# $case_name: [A-Z]+ FAILED at [^ ]+" "$log_file" | head -n 1 |
			sed "s/^# $case_name: //" || true)
		result FAIL L1 "kunit:$name" "${where:-see $log_file}"
	else
		result "$status" L1 "kunit:$name"
	fi
done <"$VOUT/kunit-cases.txt"
n=$(grep -c ' L1 kunit:' "$RESULTS" || true)
if [ "$n" -eq 0 ]; then
	result FAIL L1 kunit "no KUnit test case ran, log: $log_file"
elif [ $rc -ne 0 ] && ! grep -q '^FAIL L1 kunit:' "$RESULTS"; then
	tail -n 20 "$log_file" >&2
	result FAIL L1 kunit "kunit.py failed (rc=$rc) although no case failed, log: $log_file"
fi
