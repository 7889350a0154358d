#!/usr/bin/env bash
# text-perf.sh - `perf script --ns` output of a perf.data replays to the counters of an
# independent count: the same text, turned into trace-cmd's record layout by sed ("COMM PID"
# becomes "COMM-PID", "kmem:" goes, a failed allocation's "page=(nil) pfn=0x0" becomes the raw
# pfn=-1), counted by oracle.awk (no code of the tool).
#
# Usage: text-perf.sh TOOL FILE.perf.data
# Exit 0 when the counters agree, 1 when not, 77 (skip) without FILE or perf.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
tool=$1
data=$2
[ -e "$data" ] || { echo "$me: skipped: $data does not exist"; exit 77; }
command -v perf >/dev/null || { echo "$me: skipped: no perf"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/textperf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

counters="pages_tracked alloc_count free_count violations_detected bitmap_size_bits pfn_range
events_mm_page_alloc events_mm_page_free events_mm_page_free_batched
events_mm_page_alloc_zone_locked events_mm_page_pcpu_drain events_other failed_allocs
batched_free_notices batched_free_unmatched free_unseen_events free_unseen_pages
double_alloc_events double_alloc_pages double_free_events double_free_pages"

if ! perf script --ns -i "$data" >"$tmp/script.txt" 2>"$tmp/perf.err"; then
	echo "$me: FAIL: perf script failed: $(head -c 300 "$tmp/perf.err")"
	exit 1
fi
"$tool" --stats "$tmp/script.txt" >"$tmp/tool.out" 2>"$tmp/tool.err"
rc=$?
case $rc in
0 | 1 | 3) ;;
*) echo "$me: FAIL: the tool exited $rc: $(head -c 300 "$tmp/tool.err")"; exit 1 ;;
esac
# Records only (callchain lines start with a blank after perf's 16-column comm is gone).
grep -E '^ *[^ ].* -?[0-9]+ +\[[0-9]+\] +[0-9]+\.[0-9]+: ' "$tmp/script.txt" |
	sed -E -e 's/^(.*[^ ]) +(-?[0-9]+) +(\[[0-9]+\] +[0-9]+\.[0-9]+: +)[a-z_]+:/\1-\2 \3/' \
		-e 's/page=\(nil\) pfn=0x0 /pfn=0xffffffffffffffff /' >"$tmp/records.txt"
awk -f "$here/oracle.awk" "$tmp/records.txt" >"$tmp/oracle.out" 2>"$tmp/oracle.err" || {
	echo "$me: FAIL: oracle.awk: $(head -c 300 "$tmp/oracle.err")"
	exit 1
}
fails=0
for c in $counters; do
	a=$(sed -n "s/^$c: //p" "$tmp/tool.out" | head -1)
	b=$(sed -n "s/^$c: //p" "$tmp/oracle.out" | head -1)
	if [ "$a" != "$b" ]; then
		echo "$me: FAIL $data: $c: tool '$a', awk '$b'"
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ] || exit 1
echo "ok $data: $(grep -E '^(events_mm_page_alloc|events_mm_page_free|double_alloc_events|stack_records):' "$tmp/tool.out" | tr '\n' ' ')"
