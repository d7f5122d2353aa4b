#!/usr/bin/env bash
# Fetch the pinned linux-source-6.1 package, check its SHA-256 and keep a git
# repository of the pristine tree (commit tagged "base") in the cache.
. "$(dirname "$0")/lib.sh"

base_git=$CACHE/base-$BASE_VERSION.git

make_base_git() {
	local tmp
	tmp=$(mktemp -d "$CACHE/base.XXXXXX")
	trap 'rm -rf "$tmp" "$base_git.tmp"' EXIT
	log "unpacking $BASE_PACKAGE $BASE_VERSION"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		xz -dc -T0 | tar -x -C "$tmp"
	local tree
	tree=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	[ -f "$tree/Makefile" ] || die "unexpected layout in $deb"
	log "recording the pristine tree in git (once per base version)"
	# Debian's .gitignore ignores the whole top level, hence -f.
	git -C "$tree" init -q
	git -C "$tree" add -f -A .
	GIT_AUTHOR_DATE="1970-01-01T00:00:00Z" GIT_COMMITTER_DATE="1970-01-01T00:00:00Z" \
		git -C "$tree" -c user.name=base -c user.email=base@localhost \
		commit -q -m "Debian $BASE_PACKAGE $BASE_VERSION"
	git -C "$tree" tag base
	mv "$tree/.git" "$base_git.tmp"
	git --git-dir="$base_git.tmp" config core.bare true
	mv "$base_git.tmp" "$base_git"
	rm -rf "$tmp"
	trap - EXIT
}

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if [ ! -d "$base_git" ]; then
	deb=$(fetch_pinned "$CACHE/debs" "$BASE_PACKAGE" "$BASE_VERSION" "$BASE_SHA256" \
		"$(newest_version "$BASE_PACKAGE")") || exit 1
	make_base_git
fi
echo "$base_git"
