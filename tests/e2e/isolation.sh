#!/bin/bash
# isolation.sh - compaction's isolation events decide double frees (lib/classify.c), end to end
# through the text reader, on hand-written streams whose answers are worked out here:
#   page 0x100 allocated, freed, then freed again. Between the two frees:
#   - an isolation that took pages in a range holding 0x100: explained (compaction), exit 0;
#   - the same in trace-cmd report -R's raw fields: the same;
#   - an isolation that took nothing (nr_taken=0): no evidence, and no stack: undecidable, exit 3;
#   - an isolation of a range without 0x100: undecidable, exit 3;
#   - the isolation before the first free: it says nothing of the second, undecidable, exit 3.
# Usage: isolation.sh BINARY
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

alloc=' workload-1     [000]     1.000000: mm_page_alloc:        page=0x100 pfn=0x100 order=0 migratetype=0 gfp_flags=GFP_KERNEL'
free1=' workload-1     [000]     1.000100: mm_page_free:         page=0x100 pfn=0x100 order=0'
free2=' workload-1     [000]     1.000300: mm_page_free:         page=0x100 pfn=0x100 order=0'
iso() {	# TS FIELDS
	echo " workload-1     [000]     $1: mm_compaction_isolate_freepages: $2"
}

# stream NAME LINES...: the lines as a text recording
stream() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$tmp/$name.txt"
}

stream taken "$alloc" "$free1" "$(iso 1.000200 'range=(0xe0 ~ 0x120) nr_scanned=64 nr_taken=3')" "$free2"
stream raw "$alloc" "$free1" "$(iso 1.000200 'start_pfn=0xe0 end_pfn=0x120 nr_scanned=64 nr_taken=3')" "$free2"
stream none_taken "$alloc" "$free1" "$(iso 1.000200 'range=(0xe0 ~ 0x120) nr_scanned=64 nr_taken=0')" "$free2"
stream elsewhere "$alloc" "$free1" "$(iso 1.000200 'range=(0x200 ~ 0x240) nr_scanned=64 nr_taken=3')" "$free2"
stream before "$alloc" "$(iso 1.000050 'range=(0xe0 ~ 0x120) nr_scanned=64 nr_taken=3')" "$free1" "$free2"

for name in taken raw; do
	"$bin" --stats --input-format=text "$tmp/$name.txt" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	check "$name: explained, exit 0 (got $rc)" "[ $rc -eq 0 ]"
	check "$name: one double free, explained by compaction" \
		"grep -qx 'double_free_explained_events: 1' '$tmp/$name.out' &&
		 grep -qx 'explained: DOUBLE-FREE 1 compaction' '$tmp/$name.out'"
	check "$name: one isolation event counted" \
		"grep -qx 'events_mm_compaction_isolate_freepages: 1' '$tmp/$name.out'"
	check "$name: the summary says the recording holds isolation events" \
		"grep -q '^coverage: .*compaction isolation events yes' '$tmp/$name.out'"
done
"$bin" --stats --input-format=text --format=json --show-explained "$tmp/taken.txt" >"$tmp/taken.json" 2>/dev/null
check "json: the explained block cites its measurement" \
	"[ \"\$(jq -r '.violations[0].explained_by.evidence' '$tmp/taken.json')\" = mm_compaction_isolate_freepages ] &&
	 jq -r '.violations[0].explained_by.measured' '$tmp/taken.json' | grep -q 'thp-compact'"
for name in none_taken elsewhere before; do
	"$bin" --stats --input-format=text "$tmp/$name.txt" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	check "$name: undecidable, exit 3 (got $rc)" "[ $rc -eq 3 ]"
	check "$name: one double free, undecidable" \
		"grep -qx 'double_free_undecidable_events: 1' '$tmp/$name.out'"
	check "$name: the warning names the command that decides" \
		"grep -q 'are undecidable.*pagecheck-replay record --stacks' '$tmp/$name.err'"
	"$bin" --stats --input-format=text --allow-undecidable "$tmp/$name.txt" >/dev/null 2>&1
	rc=$?
	check "$name: --allow-undecidable accepts it, exit 0 (got $rc)" "[ $rc -eq 0 ]"
	"$bin" --stats --input-format=text --strict "$tmp/$name.txt" >/dev/null 2>&1
	rc=$?
	check "$name: --strict counts it, exit 1 (got $rc)" "[ $rc -eq 1 ]"
done
finish isolation
