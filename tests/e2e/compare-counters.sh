#!/usr/bin/env bash
# compare-counters.sh - compare the counters pagecheck-replay prints with the independent
# oracle (oracle.sh: trace-cmd report + awk, no code of the tool).
#
# Usage: compare-counters.sh TOOL FILE [tool options...]
# Runs `TOOL [tool options...] FILE`; its exit status must be 0, 1 or 3 (2 or anything else is a
# failure).  Takes the "name: value" lines it prints on stdout for the counters below, runs
# oracle.sh FILE with the same --model / --running-from / --buffer options, and compares.
# Exit 0 and "ok FILE (N counters)" when all are equal; exit 1 with a diff (tool vs oracle)
# when not, or when the tool or the oracle fails; exit 77 (CTest skip) when FILE is missing.
# Environment: ORACLE (default: oracle.sh beside this script), passed on: AWK, TRACE_CMD.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
oracle=${ORACLE:-$here/oracle.sh}

counters="pages_tracked alloc_count free_count violations_detected bitmap_size_bits pfn_range
events_mm_page_alloc events_mm_page_free events_mm_page_free_batched
events_mm_page_alloc_zone_locked events_mm_page_pcpu_drain events_other events_initcall_finish
events_sched_process_exec events_system_state events_free_initmem_enter events_free_initmem_exit
events_sched_process_fork events_sched_process_exit failed_allocs
batched_free_notices batched_free_unmatched free_unseen_events free_unseen_pages
boot_free_unallocated_events boot_free_unallocated_pages lost_events trailing_unrecorded_events
double_alloc_events
double_alloc_pages double_free_events double_free_pages invariant_events invariant_pages"

if [ $# -lt 2 ]; then
	echo "usage: $me TOOL FILE [tool options...]" >&2
	exit 1
fi
tool=$1
file=$2
shift 2
if [ ! -e "$file" ]; then
	echo "$me: skipped: $file does not exist"
	exit 77
fi

# Options that change the counters go to the oracle too (both spellings: --opt=V, --opt V).
oracle_opts=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	case ${args[i]} in
	--model=* | --running-from=* | --buffer=*)
		oracle_opts+=("${args[i]}") ;;
	--model | --running-from | --buffer)
		if ((i + 1 < ${#args[@]})); then
			oracle_opts+=("${args[i]}=${args[i + 1]}")
		fi ;;
	esac
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$tool" --stats "$@" "$file" >"$tmp/tool.out" 2>"$tmp/tool.err"
rc=$?
case $rc in
0 | 1 | 3) ;;
*)
	echo "$me: FAIL $file: '$tool${*:+ $*} $file' exited with $rc" >&2
	sed 's/^/  tool stderr: /' "$tmp/tool.err" >&2
	exit 1 ;;
esac

if ! "$oracle" "$file" "${oracle_opts[@]}" >"$tmp/oracle.out" 2>"$tmp/oracle.err"; then
	echo "$me: FAIL $file: the oracle failed" >&2
	sed 's/^/  oracle: /' "$tmp/oracle.err" >&2
	exit 1
fi

# "name: value" lines for exactly the names above, in that order; a missing counter shows
# as "name: (missing)", one printed twice as "name: (printed N times)".
pick() {
	awk -v names="$counters" '
		BEGIN { n = split(names, order, /[ \n]+/) }
		{
			line = $0
			sub(/^[ \t]+/, "", line)
			sub(/[ \t\r]+$/, "", line)
			i = index(line, ":")
			if (!i)
				next
			k = substr(line, 1, i - 1)
			v = substr(line, i + 1)
			sub(/^[ \t]+/, "", v)
			seen[k]++
			val[k] = v
		}
		END {
			for (i = 1; i <= n; i++) {
				k = order[i]
				if (!(k in seen))
					print k ": (missing)"
				else if (seen[k] > 1)
					print k ": (printed " seen[k] " times)"
				else
					print k ": " val[k]
			}
		}' "$1"
}

pick "$tmp/tool.out" >"$tmp/tool.cnt"
pick "$tmp/oracle.out" >"$tmp/oracle.cnt"
n=$(wc -l <"$tmp/oracle.cnt")

if ! diff -u --label "tool: $tool${*:+ $*} $file" \
	--label "oracle: oracle.sh $file${oracle_opts[*]:+ ${oracle_opts[*]}}" \
	"$tmp/tool.cnt" "$tmp/oracle.cnt" >"$tmp/diff"; then
	echo "$me: FAIL $file: counters differ (- tool, + oracle)"
	cat "$tmp/diff"
	exit 1
fi
echo "ok $file ($n counters)"
exit 0
