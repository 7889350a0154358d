#!/usr/bin/env bash
# replay-kept.sh - replay every input a fuzz run kept with a (Release) pagecheck-replay, once
# with each reader, as a user would: libFuzzer runs its target in one process with a fixed
# address layout, and a read past a mapped page can fault only in a fresh process (run 14's
# header_page input crashed no fuzz target). Reports signals and timeouts (exit > 4), the
# count of each exit status and the peak RSS (GNU time).
#
# Usage: replay-kept.sh TOOL DIR...
# Exit 0 when no input crashed or timed out, 1 otherwise.
set -uo pipefail

tool=$1
shift
tmp=$(mktemp "${TMPDIR:-/tmp}/replay-kept.XXXXXX")
trap 'rm -f "$tmp"' EXIT
declare -A statuses
runs=0 bad=0 max_kb=0 max_what=

for dir in "$@"; do
	for input in "$dir"/*; do
		[ -f "$input" ] || continue
		for reader in auto libtracecmd; do
			/usr/bin/time -f %M -o "$tmp" timeout 10 "$tool" -q --reader=$reader \
				"$input" >/dev/null 2>&1
			rc=$?
			kb=$(tail -1 "$tmp")
			case $kb in '' | *[!0-9]*) kb=0 ;; esac
			if [ "$kb" -gt "$max_kb" ]; then
				max_kb=$kb
				max_what="--reader=$reader $input"
			fi
			runs=$((runs + 1))
			statuses[$rc]=$((${statuses[$rc]:-0} + 1))
			if [ "$rc" -gt 4 ]; then
				bad=$((bad + 1))
				echo "BAD: exit $rc with --reader=$reader: $input"
			fi
		done
	done
done
echo "$runs replays, $bad crashed or timed out; peak RSS $max_kb KB ($max_what)"
for rc in $(printf '%s\n' "${!statuses[@]}" | sort -n); do
	echo "exit $rc: ${statuses[$rc]}"
done
[ "$bad" -eq 0 ]
