#!/usr/bin/env bash
# Export the assembled commits as a git-am-able series with a cover letter
# into out/series, then prove it: apply it with "git am" to a pristine base
# in a scratch repository and compare the result with the assembled tree.
# With --build, also build the kernel at every patch (bisectability).
. "$(dirname "$0")/lib.sh"

build=0
[ "${1:-}" = --build ] && build=1

base_git=$("$HARNESS/bin/fetch-base.sh")
[ -d "$SRC/.git" ] || die "no assembled tree; run make first"
dir=$OUT/series
rm -rf "$dir"
n=$(git -C "$SRC" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "the series is empty"

git -C "$SRC" format-patch -q --cover-letter --thread=shallow -o "$dir" base..HEAD
cover=$(ls "$dir"/0000-cover-letter.patch)
subject=$(head -n 1 "$TOP/patches/cover-letter")
python3 - "$cover" "$TOP/patches/cover-letter" "$BASE_PACKAGE $BASE_VERSION" "$subject" <<'PY'
import sys
path, blurb_path, base, subject = sys.argv[1:]
blurb = open(blurb_path).read().split('\n', 1)[1].strip('\n')
blurb += '\n\nBase: Debian ' + base + '.'
text = open(path).read()
text = text.replace('*** SUBJECT HERE ***', subject).replace('*** BLURB HERE ***', blurb)
open(path, 'w').write(text)
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

[ $build = 1 ] || exit 0

# Build every patch in turn, oldest first, in the scratch repository.
stamp=$OUT/series-built
tip=$(git -C "$SRC" rev-parse HEAD)
if [ "$(cat "$stamp" 2>/dev/null)" = "$tip" ]; then
	log "series: every patch already built for $tip"
	exit 0
fi
mkdir -p "$scratch/obj"
cp "$OBJ/.config" "$scratch/obj/.config"
i=0
for c in $(git -C "$scratch" rev-list --reverse base..HEAD); do
	i=$((i + 1))
	git -C "$scratch" checkout -q --detach "$c"
	subj=$(git -C "$scratch" log -1 --format=%s "$c")
	log "series: building patch $i/$n: $subj"
	if ! make -C "$scratch" O=obj ARCH=x86_64 -j"$JOBS" olddefconfig bzImage modules \
		>"$OUT/series-build.log" 2>&1; then
		grep -E 'error|Error' "$OUT/series-build.log" | head -n 20 >&2
		die "patch $i/$n ($subj) does not build, log: $OUT/series-build.log"
	fi
done
echo "$tip" >"$stamp"
