#!/usr/bin/env bash
# Build the test kernel (bzImage and modules) from the assembled tree and
# install the modules into out/modules for the L2 initramfs.
. "$(dirname "$0")/lib.sh"

"$HARNESS/bin/install-deps.sh"
"$HARNESS/bin/assemble.sh"
"$HARNESS/bin/config.sh"
log "building bzImage and modules (make -j$JOBS)"
if ! kmake -j"$JOBS" bzImage modules >"$VOUT/build.log" 2>&1; then
	grep -E 'error|Error' "$VOUT/build.log" | head -n 30 >&2
	die "kernel build failed, full log: $VOUT/build.log"
fi
rm -rf "$MODULES"
kmake -s INSTALL_MOD_PATH="$MODULES" modules_install >/dev/null
log "built $(kmake -s kernelrelease): $OBJ/arch/x86/boot/bzImage"
