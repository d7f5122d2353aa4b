# SEV-SNP for Linux 6.1 LTS: build the patched kernel and run the tests.
# The real work is in harness/bin/; each script says what it does at the top.

BIN := harness/bin

.PHONY: all deps base assemble kernel series series-check check kunit l2 l3 upstream model run static refresh-patches repin clean distclean

all: kernel

deps:
	$(BIN)/install-deps.sh

base: deps
	$(BIN)/fetch-base.sh >/dev/null

assemble: deps
	$(BIN)/assemble.sh

# Patched tree, test kernel bzImage and modules.
kernel:
	$(BIN)/build.sh

# git-am-able series with a cover letter in out/series, checked by applying
# it to a pristine base; series-check also builds bzImage and modules at
# every patch (make check proves the same more cheaply, see series.sh).
series: kernel
	$(BIN)/series.sh

series-check: kernel
	$(BIN)/series.sh --build-full

# Every test level; the last line is "N passed, N failed, N skipped".
check:
	$(BIN)/check.sh

# Single levels, for quick iteration after make (no summary line).
static: series
	$(BIN)/l0-static.sh
kunit: kernel
	$(BIN)/l1-kunit.sh
l2: kernel
	$(BIN)/l2-selftests.sh
	$(BIN)/l2-snp-host.sh
l3: kernel
	$(BIN)/l3-model-unit.sh
	$(BIN)/l3-model.sh
	$(BIN)/l3-stock.sh
upstream: kernel model
	$(BIN)/upstream-selftests.sh

# The SNP platform model (QEMU with our patches) in out/model, and the
# test kernel booted on it with an interactive shell (Ctrl-A X quits).
model: deps
	tools/testing/snp-platform/build.sh
run: kernel model
	$(BIN)/run-model.sh

# Show the newest linux-source-6.1 in the archive and its checksum.
repin:
	$(BIN)/repin.sh

clean:
	rm -rf out/linux/obj out/linux/obj-* out/series-check/obj out/modules* out/selftests-kvm out/l2-* out/l3-* out/upstream-* out/kunit* out/nodebug out/results.txt out/timings.txt out/run-* out/debug

distclean:
	rm -rf out

# Write commits made in out/linux back into patches/ and our files.
refresh-patches:
	$(BIN)/refresh-patches.sh
