#!/usr/bin/env bash
# Export the assembled commits as a git-am-able series with a cover letter
# into out/series, then prove it: apply it with "git am" to a pristine base
# in a scratch repository and compare the result with the assembled tree.
#
#   series.sh                export and apply
#   series.sh --build        also prove that every patch builds, cheaply
#                            (what make check runs; see build_changed below)
#   series.sh --build-full   also build bzImage and modules at every patch
#                            (make series-check)
. "$(dirname "$0")/lib.sh"

mode=${1:-}
case "$mode" in '' | --build | --build-full) ;; *) die "usage: series.sh [--build|--build-full]" ;; esac

# Every patch is built with the test kernel's config without the debug
# options (VARIANT=nodebug): a build closer to a user's, and cheaper; the
# full build of the tip it starts from is made here when it is not there.
if [ -n "$mode" ] && [ "$VARIANT" != nodebug ]; then
	VARIANT=nodebug "$HARNESS/bin/build.sh" || exit 1
	VARIANT=nodebug exec "$0" "$@"
fi

base_git=$("$HARNESS/bin/fetch-base.sh")
[ -d "$SRC/.git" ] || die "no assembled tree; run make first"
dir=$OUT/series
rm -rf "$dir"
n=$(git -C "$SRC" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "the series is empty"

git -C "$SRC" format-patch -q --cover-letter --thread=shallow -o "$dir" base..HEAD
cover=$(ls "$dir"/0000-cover-letter.patch)

# The cover letter: patches/cover-letter (subject line, then the text) with
# each "@layer FOLDER" line replaced by the patches of that folder of
# patches/series, numbered as in the exported series.
python3 - "$cover" "$TOP/patches/cover-letter" "$BASE_PACKAGE $BASE_VERSION" \
	"$SRC" $(series_patches) <<'PY' || die "cannot write the cover letter (see above)"
import subprocess, sys
path, template, base, src = sys.argv[1:5]
entries = sys.argv[5:]
subjects = subprocess.run(['git', '-C', src, 'log', '--reverse', '--format=%s', 'base..HEAD'],
                          check=True, capture_output=True, text=True).stdout.splitlines()
if len(subjects) != len(entries):
    sys.exit(f'patches/series has {len(entries)} patches, out/linux {len(subjects)} commits')
width = len(str(len(entries)))
lines = open(template).read().rstrip('\n').split('\n')
subject, body, used = lines[0], [], set()
for line in lines[1:]:
    if not line.startswith('@layer '):
        body.append(line)
        continue
    folder = line.split()[1]
    if folder in used:
        sys.exit(f'patches/cover-letter: layer {folder} listed twice')
    used.add(folder)
    mine = [(i, s) for i, (e, s) in enumerate(zip(entries, subjects), 1) if e.split('/')[0] == folder]
    if not mine:
        sys.exit(f'patches/cover-letter: layer {folder} has no patch in patches/series')
    body += [f'  {i:0{width}}/{len(entries)} {s}' for i, s in mine]
missing = {e.split('/')[0] for e in entries} - used
if missing:
    sys.exit('patches/cover-letter: no "@layer" line for ' + ', '.join(sorted(missing)))
blurb = '\n'.join(body).strip('\n') + '\n\nBase: Debian ' + base + '.'
text = open(path).read()
open(path, 'w').write(text.replace('*** SUBJECT HERE ***', subject).replace('*** BLURB HERE ***', blurb))
PY

# Apply to a pristine base. The scratch repository is kept between runs so
# that its object tree builds incrementally.
scratch=$OUT/series-check
if [ ! -d "$scratch/.git" ]; then
	git clone -q --local --no-checkout "$base_git" "$scratch"
	git -C "$scratch" checkout -q --detach base
fi
mapfile -t mails < <(ls "$dir"/*.patch | grep -v '/0000-cover-letter.patch$')
git -C "$scratch" am --abort >/dev/null 2>&1 || true
git -C "$scratch" reset -q --hard base
if ! git -C "$scratch" -c user.name=series -c user.email=series@localhost \
	am -q "${mails[@]}" >"$OUT/series-am.log" 2>&1; then
	cat "$OUT/series-am.log" >&2
	die "the exported series does not apply with git am to $BASE_PACKAGE $BASE_VERSION"
fi
want=$(git -C "$SRC" rev-parse 'HEAD^{tree}')
got=$(git -C "$scratch" rev-parse 'HEAD^{tree}')
[ "$want" = "$got" ] ||
	die "git am of the series gives a different tree than the assembled one ($got != $want)"
log "series: $n patches + cover letter in $dir; git am on a pristine base gives the assembled tree"

[ -n "$mode" ] || exit 0
[ -f "$OBJ/.config" ] || die "no test kernel config in $OBJ; run make first"

# build_at COMMIT TARGETS...: check out COMMIT in the scratch repository and
# build TARGETS incrementally in its one object tree, with the test
# kernel's config.
build_at() {
	local c=$1
	shift
	git -C "$scratch" checkout -q --detach "$c"
	make -C "$scratch" O=obj ARCH=x86_64 -j"$JOBS" olddefconfig "$@" >"$OUT/series-build.log" 2>&1
}
mapfile -t commits < <(git -C "$scratch" rev-list --reverse base..HEAD)

# relocate_objtool: objtool is built by tools/build, which records absolute
# paths (of the source and of the object tree) in its .cmd and .d files.
# In the copy of make's object tree they name the original, so objtool
# would be rebuilt, and every object, which depends on the objtool binary,
# after it: a full build of the tip instead of none. Point them at the
# copy, keeping each file's date to the nanosecond (a date rounded down
# can make a file older than what was built from it). Only those text
# files: the objects hold the paths too, as debug strings of fixed length.
relocate_objtool() {
	local f t
	while IFS= read -r -d '' f; do
		t=$(stat -c %y "$f")
		sed -i -e "s|$OBJ/|$scratch/obj/|g" -e "s|$SRC/|$scratch/|g" "$f"
		touch -h -d "$t" "$f"
	done < <(grep -rlZ -F --include='*.cmd' --include='*.d' "$SRC/" "$scratch/obj/tools" || true)
}

if [ "$mode" = --build-full ]; then
	mkdir -p "$scratch/obj"
	cp "$OBJ/.config" "$scratch/obj/.config"
	for i in "${!commits[@]}"; do
		subj=$(git -C "$scratch" log -1 --format=%s "${commits[$i]}")
		log "series: building patch $((i + 1))/$n in full: $subj"
		build_at "${commits[$i]}" bzImage modules || {
			grep -E 'error|Error' "$OUT/series-build.log" | head -n 20 >&2
			die "patch $((i + 1))/$n ($subj) does not build, log: $OUT/series-build.log"
		}
	done
	exit 0
fi

# build_changed: the proof that make check gives. A patch can break the
# build only through the files it changes. The walk goes backwards from
# the tip, whose tree is the assembled one (the same tree hash, checked
# above) that make has just built in full, bzImage included: the scratch
# tree starts from a copy of make's object tree, with every source file
# dated in the past so that those objects count as up to date. Then, for
# each earlier patch state, newest first:
#  - a state whose patch changes no build input (documentation text, the
#    KVM selftests, the Kconfig fragments under arch/x86/configs/, which a
#    build with a given .config never reads) builds exactly as the state
#    before it, which the walk also proves (or which is the base);
#  - any other state is checked out (only the files that differ get new
#    dates) and built incrementally with "vmlinux modules": kbuild
#    recompiles every object that includes a changed file (its .cmd
#    dependency lists cover headers), re-runs Kconfig on changed Kconfig
#    files, relinks vmlinux (undefined symbols, objtool) and runs modpost
#    over all modules (missing exports, section mismatches). bzImage adds
#    arch/x86/boot/ to vmlinux; it is built when a changed file is an
#    input of that tree (its objects' .cmd files say which).
# Going backwards saves the full build a forward walk needs at its first
# patch. A state proven before with the same config and compiler is not
# built again: the stamp records tree, config and gcc version.
stamps=$CACHE/series-built
mkdir -p "$stamps" 2>/dev/null || stamps=$OUT/series-built
cfg=$( (sha256sum <"$OBJ/.config"; gcc --version | head -n 1) | sha256sum | cut -c1-16)
tip=${commits[$((n - 1))]}
[ "$(git -C "$scratch" rev-parse "$tip^{tree}")" = "$(git -C "$SRC" rev-parse 'HEAD^{tree}')" ] ||
	die "the scratch tree's tip is not the assembled tree"
[ -f "$OBJ/vmlinux" ] || die "make has not built the assembled tree in $OBJ"
built=0 skipped=0 proven=0 cur=""
for ((k = n - 1; k >= 1; k--)); do
	c=${commits[$((k - 1))]}
	subj=$(git -C "$scratch" log -1 --format=%s "$c")
	stamp=$stamps/$(git -C "$scratch" rev-parse "$c^{tree}")-$cfg
	if [ -f "$stamp" ]; then
		proven=$((proven + 1))
		continue
	fi
	inputs=$(git -C "$scratch" diff --name-only "$c^" "$c" |
		grep -Ev '^(Documentation/.*\.(rst|txt)|tools/testing/selftests/.*|arch/x86/configs/.*\.config|MAINTAINERS)$' || true)
	if [ -z "$inputs" ]; then
		log "series: patch $k/$n changes no build input: $subj"
		skipped=$((skipped + 1))
		touch "$stamp"
		continue
	fi
	if [ -z "$cur" ]; then
		log "series: the scratch tree starts from make's objects of patch $n/$n"
		git -C "$scratch" checkout -q --detach "$tip"
		(cd "$scratch" && git ls-files -z | xargs -0 touch -h -d @946684800)
		rm -rf "$scratch/obj"
		cp -a "$OBJ" "$scratch/obj"
		relocate_objtool
		cur=$tip
	fi
	targets=(vmlinux modules)
	boot_deps=$(find "$scratch/obj/arch/x86/boot" -name '.*.cmd' -exec cat {} + 2>/dev/null || true)
	if [ -z "$boot_deps" ] ||
		grep -qFf <(git -C "$scratch" diff --name-only "$c" "$cur") <<<"$boot_deps"; then
		targets=(bzImage modules)
	fi
	log "series: building patch $k/$n (${targets[*]}): $subj"
	if ! build_at "$c" "${targets[@]}"; then
		grep -E 'error|Error' "$OUT/series-build.log" | head -n 20 >&2
		die "patch $k/$n ($subj) does not build, log: $OUT/series-build.log"
	fi
	cur=$c
	built=$((built + 1))
	touch "$stamp"
done
log "series: $built patch states built, $skipped change no build input, $proven proven before with this config; the last is make's own build"
