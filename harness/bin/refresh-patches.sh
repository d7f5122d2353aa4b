#!/usr/bin/env bash
# Write the commits of the assembled tree (out/linux, base..HEAD) back into
# the repo: each commit's message and its diff to upstream files become
# patches/<entry>, its new files are copied to their kernel-tree paths.
# Use after editing, committing or rebasing in out/linux.
. "$(dirname "$0")/lib.sh"

cd "$SRC"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "commit your edits in $SRC first (git commit, or --fixup plus rebase --autosquash)"
mapfile -t entries < <(series_entries | sed -n 's/^patch //p')
mapfile -t commits < <(git rev-list --reverse base..HEAD)
[ ${#entries[@]} -eq ${#commits[@]} ] ||
	die "$SRC has ${#commits[@]} commits on base, patches/series has ${#entries[@]} entries;" \
		"add or remove the entry in patches/series to match"

for i in "${!commits[@]}"; do
	c=${commits[$i]} p=${entries[$i]}
	# New files of this commit stay files in the repo; only edits of files
	# that exist in the base go into the patch's diff.
	mapfile -t added < <(git diff --name-only --diff-filter=A "$c^" "$c")
	excludes=()
	for f in "${added[@]}"; do
		mkdir -p "$TOP/$(dirname "$f")"
		git show "$c:$f" >"$TOP/$f"
		excludes+=(":(exclude)$f")
	done
	{
		git log -1 --format='From: %an <%ae>%nDate: %aD%nSubject: [PATCH] %s%n%n%b' "$c" |
			sed -e '${/^$/d}'
		if [ -n "$(git diff --name-only "$c^" "$c" -- . "${excludes[@]}")" ]; then
			echo "---"
			git diff --stat=72 "$c^" "$c" -- . "${excludes[@]}"
			echo
			git diff --full-index "$c^" "$c" -- . "${excludes[@]}"
		fi
	} >"$TOP/patches/$p"
	log "refreshed patches/$p${added[*]:+ and ${#added[@]} new file(s)}"
done
