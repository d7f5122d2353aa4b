#!/usr/bin/env bash
# Write the commits of the assembled tree (out/linux, base..HEAD) back into
# patches/ as the series: one git format-patch file per commit, in the
# folder of its layer, and patches/series in the commits' order.
#
# A commit keeps the folder of the patch with the same subject; a commit
# whose subject changed keeps the folder of the patch at its position when
# the number of patches did not change; any other commit goes into the one
# folder whose patches have its subject prefix ("crypto: ccp:"), else into
# the folder of the commit before it (move it with "git mv" and edit
# patches/series if another layer fits better). Patch files no commit produces any more
# are removed. Use after editing, committing or rebasing in out/linux.
. "$(dirname "$0")/lib.sh"

series=$TOP/patches/series
cd "$SRC"
src_settled "Commit them there first (git commit, or --fixup plus rebase --autosquash)."

mapfile -t old < <(series_patches)
# prefix_of SUBJECT: the subsystem prefix of a subject, "crypto: ccp:" of
# "crypto: ccp: Add ...".
prefix_of() { sed -E 's/^(.*:) [^:]*$/\1/' <<<"$1"; }
declare -A folder_of_subject=() folder_of_prefix=()
for p in "${old[@]}"; do
	s=$(git mailinfo -b /dev/null /dev/null <"$TOP/patches/$p" | sed -n 's/^Subject: //p')
	folder_of_subject[$s]=${p%%/*}
	pre=$(prefix_of "$s")
	case "${folder_of_prefix[$pre]:-}" in
	'') folder_of_prefix[$pre]=${p%%/*} ;;
	"${p%%/*}") ;;
	*) folder_of_prefix[$pre]=- ;;
	esac
done
mapfile -t commits < <(git rev-list --reverse base..HEAD)
[ ${#commits[@]} -gt 0 ] || die "$SRC has no commits on base"

new=() folder=${old[0]%%/*}
declare -A taken=()
for i in "${!commits[@]}"; do
	c=${commits[$i]}
	s=$(git log -1 --format=%s "$c")
	if [ -n "${folder_of_subject[$s]:-}" ]; then
		folder=${folder_of_subject[$s]}
	elif [ ${#commits[@]} -eq ${#old[@]} ]; then
		folder=${old[$i]%%/*}
	else
		pre=$(prefix_of "$s")
		case "${folder_of_prefix[$pre]:--}" in
		-) ;;
		*) folder=${folder_of_prefix[$pre]} ;;
		esac
		log "new patch '$s' goes into $folder/"
	fi
	p=$folder/$(patch_name "$c")
	[ -z "${taken[$p]:-}" ] || die "two commits would both be patches/$p; reword one subject"
	taken[$p]=1
	new+=("$p")
	mkdir -p "$TOP/patches/$folder"
	render_patch "$c" >"$TOP/patches/$p.tmp"
	if cmp -s "$TOP/patches/$p.tmp" "$TOP/patches/$p"; then
		rm "$TOP/patches/$p.tmp"
	else
		mv "$TOP/patches/$p.tmp" "$TOP/patches/$p"
		log "wrote patches/$p"
	fi
done
for p in "${old[@]}"; do
	[ -n "${taken[$p]:-}" ] || { rm -f "$TOP/patches/$p"; log "removed patches/$p"; }
done

# The series file: its comment header, then the patches in order.
{
	sed -n '/^#/p; /^#/!q' "$series"
	echo
	printf '%s\n' "${new[@]}"
} >"$series.tmp"
mv "$series.tmp" "$series"
# The commits are now exactly what patches/ holds: make may re-assemble.
git rev-parse HEAD >"$SRC/.git/snp-assembled"
log "patches/series: ${#new[@]} patches"
