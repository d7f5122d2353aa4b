#!/usr/bin/env bash
# Make out/linux/obj/.config: allnoconfig plus the fragments named in
# harness/configs/test-kernel.list, then debug.config unless VARIANT=nodebug.
# Fails, naming the option, when a fragment asks for something Kconfig drops.
. "$(dirname "$0")/lib.sh"

frags=()
while read -r f; do
	case "$f" in ''|'#'*) continue ;; harness/*) frags+=("$TOP/$f") ;; *) frags+=("$SRC/$f") ;; esac
done <"$HARNESS/configs/test-kernel.list"
case "$VARIANT" in
'') frags+=("$HARNESS/configs/debug.config") ;;
nodebug) ;;
*) die "unknown VARIANT=$VARIANT (known: nodebug)" ;;
esac
for f in "${frags[@]}"; do [ -f "$f" ] || die "config fragment $f is missing"; done

# Regenerate only when an input changed, so .config keeps its timestamp.
stamp=$( (echo "$BASE_VERSION"; cat "${frags[@]}") | sha256sum | cut -d' ' -f1)
if [ -f "$OBJ/.config" ] && [ "$(cat "$OBJ/.config.inputs" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi

log "generating .config from ${#frags[@]} fragments"
mkdir -p "$OBJ"
rm -f "$OBJ/.config.inputs"
kmake -s allnoconfig >/dev/null
(cd "$SRC" && scripts/kconfig/merge_config.sh -m -O "$OBJ_NAME" "$OBJ_NAME/.config" "${frags[@]}" >"$OBJ/.merge.log") ||
	die "merge_config.sh failed, see $OBJ/.merge.log"
kmake -s olddefconfig >/dev/null 2>&1

# A later fragment may override an earlier one (merge_config.sh does the
# same): check each option against the last fragment that sets it.
declare -A want from
for f in "${frags[@]}"; do
	while IFS='=' read -r key val; do
		want[$key]=$val
		from[$key]=${f#"$TOP"/}
	done < <(grep -E '^CONFIG_[A-Za-z0-9_]+=' "$f")
done
bad=0
for key in "${!want[@]}"; do
	val=${want[$key]}
	if [ "$val" = n ]; then
		grep -q "^$key=" "$OBJ/.config" || continue
		got=$(grep "^$key=" "$OBJ/.config")
	else
		grep -qxF "$key=$val" "$OBJ/.config" && continue
		got=$(grep -E "^$key=|^# $key is not set" "$OBJ/.config" || echo "absent")
	fi
	echo "config: ${from[$key]} asks for $key=$val, Kconfig gave: $got" >&2
	bad=1
done
[ $bad = 0 ] || die "the kernel config does not match its fragments (missing dependencies?)"
echo "$stamp" >"$OBJ/.config.inputs"
