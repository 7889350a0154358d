#!/bin/bash
# rfc-stats.sh - a recording of the reference kernel (tests/kernel/rfc) against the RFC checker's
# own stats file of the same run.
#
# Usage: rfc-stats.sh BIN REC.dat REC.stats
#
# REC.stats is the checker's debugfs text, read in the same stop_machine() call that switched
# tracing off, so the recording holds every hook call up to it. Checked:
#  - the replay (--model=kernel, the default --replay=auto) says it replayed the hook calls and
#    prints pages_tracked, alloc_count, free_count, violations_detected, bitmap_size_bits and
#    pfn_range exactly as REC.stats does;
#  - independently of the replay, trace-cmd report's pc_update records give the same alloc_count
#    and free_count (every checker call is in the recording), and the last page_consistency
#    record is the pc_stats written at the snapshot, with the stats file's counters;
#  - no early hook call was lost before tracing began (pc_init's early_lost=0);
#  - --replay=kmem replays the kmem page events of the same recording instead, and says so.
set -uo pipefail
bin=$1 rec=$2 stats=$3
. "$(dirname "$0")/testlib.sh"
name=$(basename "$rec")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

stat_of() { sed -n "s/^$1: //p" "$2" | head -1; }

"$bin" --stats --model=kernel --allow-lost "$rec" > "$tmp/out" 2> "$tmp/err"
check "$name: replay ran (exit $?, $(head -c 300 "$tmp/err"))" '[ -s "$tmp/out" ]'
check "$name: replayed the hook calls" \
	'grep -q "^replayed: the RFC checker.s hook calls" "$tmp/out"'
for key in pages_tracked alloc_count free_count violations_detected bitmap_size_bits pfn_range; do
	want=$(stat_of "$key" "$stats")
	got=$(stat_of "$key" "$tmp/out")
	check "$name: $key is '$got', the kernel's stats say '$want'" \
		'[ -n "$want" ] && [ "$got" = "$want" ]'
done

# The oracle: trace-cmd's own reading of the same file.
trace-cmd report "$rec" 2> /dev/null | grep -E ' (pc_update|pc_init|pc_stats): ' > "$tmp/pc"
range=$(stat_of pfn_range "$stats" | tr -d '[)' | tr '-' ' ')
read -r lo hi <<< "$range"
count_op() {
	awk -v op="$1" -v lo="$lo" -v hi="$hi" '
		/ pc_update: / {
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^pfn=/) pfn = strtonum(substr($i, 5))
				if ($i ~ /^order=/) ord = substr($i, 7) + 0
				if ($i ~ /^op=/) o = substr($i, 4)
			}
			if (o == op && pfn >= lo && pfn + 2 ^ ord <= hi) n++
		}
		END { print n + 0 }' "$tmp/pc"
}
check "$name: trace-cmd report's pc_update allocs = alloc_count" \
	'[ "$(count_op alloc)" = "$(stat_of alloc_count "$stats")" ]'
check "$name: trace-cmd report's pc_update frees = free_count" \
	'[ "$(count_op free)" = "$(stat_of free_count "$stats")" ]'
check "$name: no early hook call lost" 'grep -q " pc_init: .*early_lost=0" "$tmp/pc"'
last=$(tail -1 "$tmp/pc" | tr -s ' ')
check "$name: the recording ends at the pc_stats snapshot" \
	'[[ "$last" == *" pc_stats: pages_tracked=$(stat_of pages_tracked "$stats") alloc_count=$(stat_of alloc_count "$stats") "* ]]'

"$bin" --stats --model=kernel --allow-lost --replay=kmem "$rec" > "$tmp/kmem" 2> /dev/null
check "$name: --replay=kmem replays the kmem page events" \
	'grep -q "^replayed: kmem page events" "$tmp/kmem"'
finish "rfc-stats $name"
