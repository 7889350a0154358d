#!/usr/bin/env bash
# report-layout.sh - the text report leads with its answer and bounds what it prints (issue 18).
#
# Usage: report-layout.sh BINARY DATA_DIR SHARED_DIR
#
# On real recordings, against counts derived without the tool (oracle.sh: trace-cmd report and
# awk):
#  - the first line is the verdict, the second its why; a lossy recording's why starts with the
#    loss, with the oracle's count;
#  - "checked:" gives the oracle's alloc and free counts;
#  - the candidates line totals the oracle's double allocs and double frees, and the table's rows
#    add up to it;
#  - with --strict, each group prints min(3, its count) blocks by default, --examples=1 one,
#    --examples=all every block (the oracle's count); explained and undecidable blocks print
#    only on request, and the "not shown:" line counts what was left out;
#  - -q prints no block; --stats adds the counters, the default report has none;
#  - a loss marked without a count is never called "lost 0 events".
set -uo pipefail

bin=$1
data=$2
shared=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/testlib.sh"

s08=$shared/s08_thp_compact_stack_v7zstd.dat
s09=$shared/s09_lossy_pct0_v7zstd.dat
fault=$data/faults/double_free-prrecord.dat
[ -f "$s08" ] && [ -f "$s09" ] || { echo "no ../shared/testdata"; exit 77; }

oracle() { "$here/oracle.sh" "$1" | sed -n "s/^$2: //p"; }
blocks() { grep -c '^DOUBLE-\(FREE\|ALLOC\) at ' "$1"; }

for rec in "$s08" "$s09" "$fault"; do
	name=${rec##*/}
	"$bin" "$rec" >"$tmp/out" 2>/dev/null
	allocs=$(oracle "$rec" alloc_count)
	frees=$(oracle "$rec" free_count)
	cands=$(($(oracle "$rec" double_free_events) + $(oracle "$rec" double_alloc_events)))
	check "$name: the verdict leads, its why follows" \
		"sed -n 1p '$tmp/out' | grep -qE '^verdict: (clean|violations|inconclusive)$' &&
		 sed -n 2p '$tmp/out' | grep -q '^why: .'"
	check "$name: checked: $allocs allocs and $frees frees (oracle)" \
		"grep -q '^checked: $allocs allocs and $frees frees of ' '$tmp/out'"
	check "$name: $cands candidates (oracle), the table's rows add up to them" \
		"grep -q '^candidates: $cands ' '$tmp/out' &&
		 [ \"\$(awk '/^  KIND /{t=1;next} t && /^  [a-z]/{s+=\$3} END{print s+0}' '$tmp/out')\" = $cands ]"
	"$bin" --stats "$rec" >"$tmp/stats" 2>/dev/null
	check "$name: no counter without --stats, all of them with it" \
		"! grep -q '^alloc_count:' '$tmp/out' && grep -qx 'alloc_count: $allocs' '$tmp/stats'"
done

# s09 lost events: the why says so first, with the oracle's count.
lost=$(oracle "$s09" lost_events)
"$bin" "$s09" >"$tmp/s09" 2>"$tmp/s09.err"
check "s09: inconclusive, and the why starts with the $lost lost events" \
	"[ \"\$(sed -n 1p '$tmp/s09')\" = 'verdict: inconclusive' ] &&
	 sed -n 2p '$tmp/s09' | grep -q '^why: the recording lost $lost events'"
und=$("$bin" --stats "$s09" 2>/dev/null | sed -n 's/^double_free_undecidable_events: //p')
check "s09: its $und undecidable blocks are counted, not printed, and named in 'not shown:'" \
	"[ \$(blocks '$tmp/s09') = 0 ] &&
	 grep -q '^not shown: $und undecidable blocks (--show-undecidable)' '$tmp/s09' &&
	 [ \$(\"$bin\" --show-undecidable --examples=all '$s09' 2>/dev/null |
	      grep -c '^DOUBLE-FREE at ') = $und ]"

# s08: 38 double frees of one explained path; --strict counts each.
df=$(oracle "$s08" double_free_events)
"$bin" --strict --stats "$s08" >"$tmp/strict" 2>/dev/null
want=$("$bin" --strict --stats "$s08" 2>/dev/null |
	awk '/^signature: DOUBLE-FREE / { n += ($3 < 3 ? $3 : 3) } END { print n + 0 }')
check "s08 --strict: min(3, count) blocks of each signature ($want)" \
	"[ \$(blocks '$tmp/strict') = $want ] && [ $want -gt 0 ]"
check "s08 --strict --examples=1: one block a signature" \
	"[ \$(\"$bin\" --strict --examples=1 '$s08' 2>/dev/null | grep -c '^DOUBLE-FREE at ') = \
	   \$(grep -c '^signature: DOUBLE-FREE ' '$tmp/strict') ]"
check "s08 --strict --examples=all: every one of the $df double frees (oracle)" \
	"[ \$(\"$bin\" --strict --examples=all '$s08' 2>/dev/null | grep -c '^DOUBLE-FREE at ') = $df ]"
"$bin" "$s08" >"$tmp/s08" 2>/dev/null
check "s08: explained blocks on request only, counted in 'not shown:'" \
	"[ \$(blocks '$tmp/s08') = 0 ] &&
	 grep -q '^not shown: $df explained blocks (--show-explained)' '$tmp/s08' &&
	 grep -qE '^  double-free +explained +$df  compaction$' '$tmp/s08'"
"$bin" -q --strict "$s08" >"$tmp/quiet" 2>/dev/null
check "s08 -q: no block, the candidates table stays" \
	"[ \$(blocks '$tmp/quiet') = 0 ] && grep -q '^candidates: $df ' '$tmp/quiet' &&
	 grep -q '^not shown: every block (-q)' '$tmp/quiet'"
check "--examples=0 and --examples=x are usage errors" \
	"\"$bin\" --examples=0 '$s08' >/dev/null 2>&1; [ \$? = 2 ] &&
	 { \"$bin\" --examples=x '$s08' >/dev/null 2>&1; [ \$? = 2 ]; }"

# A dump of one CPU's buffer: a loss without a count.
if [ -f "$data/console/origcpu.log.zst" ]; then
	"$bin" "$data/console/origcpu.log.zst" >"$tmp/origcpu" 2>"$tmp/origcpu.err"
	check "a loss without a count is not 'lost 0 events'" \
		"! grep -q 'lost 0 events' '$tmp/origcpu' '$tmp/origcpu.err' &&
		 grep -q 'lost events (it marks the loss but not how many)' '$tmp/origcpu.err' &&
		 sed -n 2p '$tmp/origcpu' | grep -q '^why: the recording lost events (it marks the loss but not how many)'"
fi

# A range no event falls in: nothing checked, said in the why.
"$bin" --pfn-range=0x10-0x20 "$s08" >"$tmp/range" 2>/dev/null
check "--pfn-range with no event: inconclusive, the why says nothing was checked" \
	"[ \"\$(sed -n 1p '$tmp/range')\" = 'verdict: inconclusive' ] &&
	 grep -q '^why: no page event fell in --pfn-range' '$tmp/range'"

finish report-layout
