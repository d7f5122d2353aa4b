#!/usr/bin/env bash
# Assemble the build tree: the pristine base plus the patches of
# patches/series, one git commit per patch, checked out in out/linux.
#
# The commits are built in a scratch index without touching the work tree;
# the work tree is then moved to the new tip with "git reset --hard", which
# rewrites only files whose content changed. Unchanged files keep their
# timestamps, so kbuild rebuilds only what the change affects.
#
# Work in out/linux that is not in patches/ yet (edits, commits, a rebase
# in progress) is never thrown away: assemble stops and names it.
. "$(dirname "$0")/lib.sh"

base_git=$("$HARNESS/bin/fetch-base.sh")
series=$TOP/patches/series
[ -f "$series" ] || die "missing $series"
# The tip the last assembly produced: HEAD still there means out/linux holds
# nothing of its own.
assembled_file=$SRC/.git/snp-assembled

if [ ! -d "$SRC/.git" ]; then
	log "checking out the base tree into $SRC"
	rm -rf "$SRC"
	mkdir -p "$OUT"
	# --local hard-links the objects: fast, and independent of the cache
	# once done.
	git clone -q --local --no-checkout "$base_git" "$SRC"
	git -C "$SRC" checkout -q -B series base
	git -C "$SRC" rev-parse base >"$assembled_file"
fi

cd "$SRC"
git rev-parse -q --verify base >/dev/null || die "$SRC has no base tag; run 'make distclean'"
src_settled "Commit them there and run 'make refresh-patches' (see CONTRIBUTING.md)," \
	"or drop them with 'git -C $SRC checkout -- .', then run make again."

mapfile -t patches < <(series_patches)
[ ${#patches[@]} -gt 0 ] || die "$series lists no patch"
declare -A seen=()
for p in "${patches[@]}"; do
	[[ $p == */*.patch && $p != */*/* ]] ||
		die "series: '$p' is not FOLDER/NAME.patch"
	[ -f "$TOP/patches/$p" ] || die "series: patches/$p does not exist"
	[ -z "${seen[$p]:-}" ] || die "series: $p is listed twice"
	seen[$p]=1
done
# Every patch file in patches/ is in the series, so none is forgotten.
while IFS= read -r f; do
	[ -n "${seen[$f]:-}" ] || die "patches/$f is not listed in patches/series"
done < <(cd "$TOP/patches" && find . -mindepth 2 -name '*.patch' | sed 's|^\./||' | sort)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_INDEX_FILE=$tmp/index
git read-tree base
parent=$(git rev-parse base)
n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	git mailinfo -b "$tmp/msg" "$tmp/diff" <"$TOP/patches/$p" >"$tmp/info" ||
		die "patches/$p: not a git format-patch file"
	author=$(sed -n 's/^Author: //p' "$tmp/info")
	email=$(sed -n 's/^Email: //p' "$tmp/info")
	subject=$(sed -n 's/^Subject: //p' "$tmp/info")
	date=$(sed -n 's/^Date: //p' "$tmp/info")
	[ -n "$subject" ] && [ -n "$author" ] && [ -n "$date" ] ||
		die "patches/$p: needs From:, Date: and Subject: headers"
	if [ -s "$tmp/diff" ] && ! git apply --cached --whitespace=nowarn "$tmp/diff" 2>"$tmp/err"; then
		sed 's/^/    /' "$tmp/err" >&2
		die "patch $n/${#patches[@]} (patches/$p) does not apply to $BASE_PACKAGE $BASE_VERSION" \
			"with the patches before it"
	fi
	{ printf '%s\n\n' "$subject"; cat "$tmp/msg"; } >"$tmp/commitmsg"
	tree=$(git write-tree)
	# Committer = author, so the same series always gives the same commits.
	parent=$(GIT_AUTHOR_NAME=$author GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$date \
		GIT_COMMITTER_NAME=$author GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
		git commit-tree "$tree" -p "$parent" -F "$tmp/commitmsg")
done
unset GIT_INDEX_FILE

head=$(git rev-parse HEAD)
[ "$head" != "$parent" ] || exit 0

# HEAD is neither the new tip nor what make assembled last: the developer
# committed or rebased in out/linux. Every commit whose patch is not in
# patches/ yet stops the assembly.
if [ "$head" != "$(cat "$assembled_file" 2>/dev/null)" ]; then
	declare -A known=()
	for p in "${patches[@]}"; do
		known[$(sha1sum <"$TOP/patches/$p" | cut -d' ' -f1)]=1
	done
	missing=()
	while read -r c; do
		sum=$(render_patch "$c" | sha1sum | cut -d' ' -f1)
		[ -n "${known[$sum]:-}" ] || missing+=("$(git log -1 --format='%h %s' "$c")")
	done < <(git rev-list --reverse base..HEAD)
	if [ ${#missing[@]} -gt 0 ]; then
		printf '    %s\n' "${missing[@]}" >&2
		die "$SRC has ${#missing[@]} commit(s) that are not in patches/ yet (above)." \
			"Write them back with 'make refresh-patches', or drop them with" \
			"'git -C $SRC reset --hard $(git rev-parse --short "$(cat "$assembled_file" 2>/dev/null || echo base)")'," \
			"then run make again."
	fi
fi

git reset -q --hard "$parent"
echo "$parent" >"$assembled_file"
log "assembled $n patches on $BASE_PACKAGE $BASE_VERSION ($(git diff --stat base HEAD | tail -n 1 | xargs))"
