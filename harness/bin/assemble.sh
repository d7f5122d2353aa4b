#!/usr/bin/env bash
# Assemble the build tree: pristine base + our files + patches, one git
# commit per entry of patches/series, checked out in out/linux.
#
# The commits are built in a scratch index without touching the work tree;
# the work tree is then moved to the new tip with "git reset --hard", which
# rewrites only files whose content changed. Unchanged files keep their
# timestamps, so kbuild rebuilds only what the change affects.
. "$(dirname "$0")/lib.sh"

base_git=$("$HARNESS/bin/fetch-base.sh")
series=$TOP/patches/series

if [ ! -d "$SRC/.git" ]; then
	log "checking out the base tree into $SRC"
	rm -rf "$SRC"
	mkdir -p "$OUT"
	# --local hard-links the objects: fast, and independent of the cache
	# once done.
	git clone -q --local --no-checkout "$base_git" "$SRC"
	git -C "$SRC" checkout -q -B series base
fi

cd "$SRC"
git rev-parse -q --verify base >/dev/null || die "$SRC has no base tag; run 'make distclean'"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	git status --short --untracked-files=no | head -n 20 >&2
	die "$SRC has local edits to tracked files. Move them into the repo" \
		"(see CONTRIBUTING.md: 'make refresh-patches') or drop them with" \
		"'git -C $SRC checkout -- .', then run make again."
fi

declare -a patches=()
declare -A files_of=() owner=()
[ -f "$series" ] || die "missing $series"
while read -r kind name; do
	if [ "$kind" = file ]; then
		f=$name
		[ ${#patches[@]} -gt 0 ] || die "series: file $f listed before any patch"
		[ -z "${owner[$f]:-}" ] || die "series: $f listed twice (${owner[$f]} and ${patches[-1]})"
		[ -f "$TOP/$f" ] || die "series: ${patches[-1]} lists $f, which is not in the repo"
		owner[$f]=${patches[-1]}
		files_of[${patches[-1]}]+="$f "
	else
		p=$name
		[ -f "$TOP/patches/$p" ] || die "series: patches/$p does not exist"
		patches+=("$p")
	fi
done < <(series_entries)

# Every file we keep at a kernel-tree path must belong to exactly one patch.
for d in $KERNEL_DIRS; do
	[ -d "$TOP/$d" ] || continue
	while IFS= read -r f; do
		case "$f" in "$NOT_IN_SERIES"*) continue ;; esac
		[ -n "${owner[$f]:-}" ] ||
			die "$f is in the repo but no patch in patches/series adds it"
	done < <(cd "$TOP" && git ls-files --cached --others --exclude-standard -- "$d")
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_INDEX_FILE=$tmp/index
git read-tree base
parent=$(git rev-parse base)
n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	git mailinfo "$tmp/msg" "$tmp/diff" <"$TOP/patches/$p" >"$tmp/info" ||
		die "patches/$p: not a mail-format patch"
	author=$(sed -n 's/^Author: //p' "$tmp/info")
	email=$(sed -n 's/^Email: //p' "$tmp/info")
	subject=$(sed -n 's/^Subject: //p' "$tmp/info")
	date=$(sed -n 's/^Date: //p' "$tmp/info")
	[ -n "$subject" ] && [ -n "$author" ] && [ -n "$date" ] ||
		die "patches/$p: needs From:, Date: and Subject: headers"
	if [ -s "$tmp/diff" ]; then
		if ! git apply --cached --whitespace=nowarn "$tmp/diff" 2>"$tmp/err"; then
			sed 's/^/    /' "$tmp/err" >&2
			die "patch $n/${#patches[@]} ($p) no longer applies to $BASE_PACKAGE $BASE_VERSION"
		fi
	fi
	for f in ${files_of[$p]:-}; do
		if git cat-file -e "base:$f" 2>/dev/null; then
			die "patches/series: $p adds $f, but the base already has it; edit it with a diff instead"
		fi
		mode=100644
		[ -x "$TOP/$f" ] && mode=100755
		blob=$(git hash-object -w --path="$f" "$TOP/$f")
		git update-index --add --cacheinfo "$mode,$blob,$f"
	done
	{ printf '%s\n\n' "$subject"; cat "$tmp/msg"; } >"$tmp/commitmsg"
	tree=$(git write-tree)
	parent=$(GIT_AUTHOR_NAME=$author GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$date \
		GIT_COMMITTER_NAME=$author GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
		git commit-tree "$tree" -p "$parent" -F "$tmp/commitmsg")
done
unset GIT_INDEX_FILE

if [ "$(git rev-parse HEAD)" != "$parent" ]; then
	git reset -q --hard "$parent"
	log "assembled $n patches on $BASE_PACKAGE $BASE_VERSION ($(git diff --stat base HEAD | tail -n 1 | xargs))"
fi
