#!/bin/bash
# stacks.sh - stack traces end to end, on shared recordings whose content
# ../shared/testdata/README.md establishes independently:
# - s08: every double free comes from compaction_free (a second free of a page compaction took
#   off the free lists), so each block shows compaction_free in the stack of the free and in the
#   stack of the earlier free beside it, and one signature holds all 38;
# - s07: 601 page events have no kernel_stack record, every stack record has an event;
# - s05 has no kallsyms: frames are addresses; s04 was recorded on the same boot, so its
#   kallsyms (trace-cmd dump --kallsyms) name s05's frames through --kallsyms;
# - --explain lists exactly the events of a page that trace-cmd report shows for it.
#
# Usage: stacks.sh BINARY SHARED_TESTDATA_DIR
set -uo pipefail

bin=$1
data=$2
[ -f "$data/s08_thp_compact_stack_v7zstd.dat" ] || { echo "no shared testdata in $data"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/testlib.sh"

value() {
	awk -F': ' -v k="$1" '$1 == k { print $2 }' "$2"
}

"$bin" --stats --show-undecidable --examples=all --strict "$data/s08_thp_compact_stack_v7zstd.dat" >"$tmp/s08" 2>/dev/null
"$bin" --stats --show-undecidable --examples=all --show-explained "$data/s08_thp_compact_stack_v7zstd.dat" >"$tmp/s08.explained" 2>/dev/null
# Per block: the lines of "stack of this free:" and of "last freed at ...:".
awk '
/^DOUBLE-FREE at / { blocks++; section = "" }
/^  stack of this free:/ { section = "this"; next }
/^  last freed at / { section = "first"; next }
/^  [a-z]/ { section = "" }
section == "this" && /^    compaction_free\+0x[0-9a-f]+\/0x[0-9a-f]+$/ { this[blocks] = 1 }
section == "first" && /^    compaction_free\+0x[0-9a-f]+\/0x[0-9a-f]+$/ { first[blocks] = 1 }
END {
	for (b = 1; b <= blocks; b++)
		if (this[b] && first[b])
			both++
	print blocks + 0, both + 0
}' "$tmp/s08" >"$tmp/s08.blocks"
read -r blocks both <"$tmp/s08.blocks"
check "s08: $both of $blocks double-free blocks show compaction_free in both stacks" \
	'[ "$blocks" -eq 38 ] && [ "$both" -eq 38 ]'
check "s08: one signature for the 38 compaction double frees" \
	'grep -qx "signature: DOUBLE-FREE 38 compaction_free<migrate_pages_batch<migrate_pages_sync" "$tmp/s08"'
check "s08: each block names the compaction path as its explanation" \
	'[ "$(grep -c "^  class: explained: compaction (compaction_free in the stack): " "$tmp/s08.explained")" = 38 ]'
check "s08: no trace glue frame printed" \
	'! grep -qE "^    (trace_event_raw_event_|__traceiter_)" "$tmp/s08"'

"$bin" --stats --show-undecidable --examples=all --quiet "$data/s07_memcg_fail_stack_v7zstd.dat" >"$tmp/s07" 2>/dev/null
page_events=$(( $(value events_mm_page_alloc "$tmp/s07") + $(value events_mm_page_free "$tmp/s07") +
	$(value events_mm_page_free_batched "$tmp/s07") ))
check "s07: 601 events without stack (got $(value events_without_stack "$tmp/s07"))" \
	'[ "$(value events_without_stack "$tmp/s07")" = 601 ]'
check "s07: every stack record paired (unpaired $(value stacks_unpaired "$tmp/s07"))" \
	'[ "$(value stacks_unpaired "$tmp/s07")" = 0 ]'
check "s07: events with and without stack add up to the page events ($page_events)" \
	'[ $(( $(value events_with_stack "$tmp/s07") + $(value events_without_stack "$tmp/s07") )) -eq "$page_events" ]'

"$bin" --stats --show-undecidable --examples=all --model=kernel --max-reports=1 "$data/s05_stack_v6_nokallsyms.dat" >"$tmp/s05" 2>/dev/null
check "s05 without kallsyms: frames are bare addresses" \
	'grep -qE "^    0xffffffff[0-9a-f]{8}$" "$tmp/s05" && grep -qx "kallsyms: none (frames print as addresses)" "$tmp/s05"'
if trace-cmd dump --kallsyms "$data/s04_stack_v7zstd.dat" 2>/dev/null | grep -E '^[0-9a-f]+ ' >"$tmp/kallsyms"; then
	"$bin" --stats --show-undecidable --examples=all --kallsyms="$tmp/kallsyms" --model=kernel --max-reports=1 \
		"$data/s05_stack_v6_nokallsyms.dat" >"$tmp/s05k" 2>/dev/null
	check "s05 with --kallsyms: frames are named like the kernel's %pS" \
		'grep -qE "^    free_unref_folios\+0x[0-9a-f]+/0x[0-9a-f]+$" "$tmp/s05k" && ! grep -qE "^    0xffffffff" "$tmp/s05k"'
fi

# --explain: the same events, in the same order, as trace-cmd report gives for the page.
pfn=0x174705
"$bin" --stats --show-undecidable --examples=all --quiet --explain=$pfn "$data/s08_thp_compact_stack_v7zstd.dat" 2>/dev/null |
	awk '/^history of pfn/ { on = 1; next }
	on && /^  [0-9]/ { match($0, /: mm_page_[a-z_]+ pfn=/); print $1, substr($0, RSTART + 2, RLENGTH - 7) }
	on && /^$/ { exit }' \
	>"$tmp/explained"
trace-cmd report -t -R "$data/s08_thp_compact_stack_v7zstd.dat" 2>/dev/null |
	awk -v want=$((pfn)) '
	/ (mm_page_alloc|mm_page_free|mm_page_free_batched|mm_page_alloc_zone_locked|mm_page_pcpu_drain): / {
		match($0, /\] +[0-9]+\.[0-9]+: /)
		ts = substr($0, RSTART + 1, RLENGTH - 3); gsub(/ /, "", ts)
		match($0, / mm_page_[a-z_]+: /)
		ev = substr($0, RSTART + 1, RLENGTH - 3)
		match($0, /pfn=0x[0-9a-f]+/); p = strtonum(substr($0, RSTART + 4, RLENGTH - 4))
		order = 0
		if (match($0, /order=[0-9]+/)) order = substr($0, RSTART + 6, RLENGTH - 6) + 0
		if (ev == "mm_page_free_batched") order = 0
		if (want >= p && want < p + 2 ^ order) print ts, ev
	}' >"$tmp/reported"
check "--explain=$pfn lists the $(wc -l <"$tmp/reported") events trace-cmd report shows" \
	'[ -s "$tmp/reported" ] && cmp -s "$tmp/explained" "$tmp/reported"'

finish stacks
