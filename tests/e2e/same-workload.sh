#!/usr/bin/env bash
# same-workload.sh - one workload recorded at once by trace-cmd and by perf, and dumped as text
# (testdata/record-same-workload.sh), replays to the same counters and violations.
#
# Usage: same-workload.sh TOOL PREFIX loss|noloss
#
#   PREFIX.dat (trace-cmd -C perf), PREFIX.txt.zst (`trace-cmd report -t PREFIX.dat`) and
#   PREFIX.perf.data (perf record, same clock).
#
#   1. The .dat and the text replay to the same counters and the same violations.
#   2. The text is cut to perf's window by same-window.awk (awk, no code of the tool), less the
#      idle task's events on the CPUs where perf holds no idle sample. The perf.data (with
#      --allow-lost) replays to the counters of that text, through the tool's text reader and
#      through oracle.awk, and to the same violations.
#   3. loss: the text holds idle-task events in perf's window that perf lacks; the perf replay
#      must then be inconclusive (exit 3) and name every such CPU; and the text cut without
#      removing them must exceed the perf replay by exactly the events removed.
#      noloss: perf holds idle-task samples on every CPU it sampled; the perf replay must not be
#      inconclusive and must not warn.
#
# Exit 0 when everything holds, 1 when not, 77 (skip) without the files, perf or zstd.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
tool=$1
prefix=$2
expect=$3
for f in "$prefix.dat" "$prefix.perf.data" "$prefix.txt.zst"; do
	[ -e "$f" ] || { echo "$me: skipped: $f does not exist"; exit 77; }
done
for t in perf zstd; do
	command -v $t >/dev/null || { echo "$me: skipped: no $t"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/same-workload.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

counters="pages_tracked alloc_count free_count violations_detected bitmap_size_bits pfn_range
events_mm_page_alloc events_mm_page_free events_mm_page_free_batched failed_allocs
batched_free_notices batched_free_unmatched free_unseen_events free_unseen_pages
double_alloc_events double_alloc_pages double_free_events double_free_pages"

# counter NAME FILE: the value the summary in FILE gives NAME.
counter() {
	sed -n "s/^$1: //p" "$2" | head -1
}

# same_counters A B WHAT: every counter of A equals B's.
same_counters() {
	local c ok=0
	for c in $counters; do
		if [ "$(counter "$c" "$1")" != "$(counter "$c" "$2")" ]; then
			echo "$me: $3: $c: '$(counter "$c" "$1")' against '$(counter "$c" "$2")'"
			ok=1
		fi
	done
	return $ok
}

# violations FILE: each violation block's kind, CPU and event line without its gfp flags (the
# text of `trace-cmd report` carries only their names), sorted (events of two CPUs within a
# microsecond may come in either order from the two tools' timestamps).
violations() {
	awk '/^[A-Z-]+ at [0-9]+\.[0-9]+ cpu [0-9]+ / { head = $1 " cpu " $5; next }
	     head != "" && /^  event: / { sub(/ gfp_flags=[^ ]*/, ""); print head " " $0; head = "" }' \
		"$1" | sort
}

# replay NAME ARGS...: run the tool; NAME.out, NAME.err, NAME.rc. These recordings have no
# stacks: their double frees are undecidable, which is not what this test is about.
replay() {
	local name=$1
	shift
	"$tool" --stats --allow-undecidable "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}

# 1. trace.dat and its text.
replay dat "$prefix.dat"
replay txt "$prefix.txt.zst"
check "the .dat replays (exit $(cat "$tmp/dat.rc"))" "[ $(cat "$tmp/dat.rc") -le 1 ]"
check "the .dat and the text exit alike" "[ $(cat "$tmp/dat.rc") = $(cat "$tmp/txt.rc") ]"
check "the .dat and the text have the same counters" \
	'same_counters "$tmp/dat.out" "$tmp/txt.out" "dat/text"'
violations "$tmp/dat.out" >"$tmp/dat.viol"
violations "$tmp/txt.out" >"$tmp/txt.viol"
check "the .dat and the text report the same violations" 'cmp -s "$tmp/dat.viol" "$tmp/txt.viol"'

# 2. perf against the text cut to its window.
perf script -i "$prefix.perf.data" --ns -F pid,cpu,time >"$tmp/perf.txt" 2>"$tmp/perf.err" ||
	{ echo "$me: FAIL: perf script: $(head -c 300 "$tmp/perf.err")"; exit 1; }
zstd -dc "$prefix.txt.zst" >"$tmp/text.txt" || { echo "$me: FAIL: zstd -d"; exit 1; }
awk -v statfile="$tmp/stats" -v drop_idle=1 -f "$here/same-window.awk" "$tmp/perf.txt" \
	"$tmp/text.txt" >"$tmp/cut.txt"
awk -v statfile="$tmp/stats-all" -f "$here/same-window.awk" "$tmp/perf.txt" \
	"$tmp/text.txt" >"$tmp/cut-all.txt"
stat() { sed -n "s/^$1 //p" "$tmp/stats"; }
dropped=$(stat idle_dropped)
lossy=$(stat lossy_cpus)
echo "$me: $prefix: perf samples $(stat perf_samples), trace-cmd events in perf's window" \
	"$(stat window_events), idle-task events perf lacks $dropped (CPUs without an idle sample: $lossy)"

replay perf --allow-lost "$prefix.perf.data"
replay cut --input-format=text "$tmp/cut.txt"
check "perf replays (exit $(cat "$tmp/perf.rc"))" "[ $(cat "$tmp/perf.rc") -le 1 ]"
check "perf has the counters of the text in its window, less the idle events it lacks" \
	'same_counters "$tmp/perf.out" "$tmp/cut.out" "perf/text window"'
# The same text through oracle.awk (trace-cmd's failed allocation text as the raw pfn).
sed -e 's/page=(nil) pfn=0x0 /pfn=0xffffffffffffffff /' "$tmp/cut.txt" |
	awk -v statfile= -f "$here/oracle.awk" >"$tmp/oracle.out" 2>"$tmp/oracle.err"
check "oracle.awk reads the window ($(head -c 200 "$tmp/oracle.err"))" '[ -s "$tmp/oracle.out" ]'
check "perf has the counters oracle.awk computes from the text in its window" \
	'same_counters "$tmp/perf.out" "$tmp/oracle.out" "perf/oracle.awk"'
violations "$tmp/perf.out" >"$tmp/perf.viol"
violations "$tmp/cut.out" >"$tmp/cut.viol"
check "perf reports the violations of the text in its window" \
	'cmp -s "$tmp/perf.viol" "$tmp/cut.viol"'

# 3. The loss: detected exactly when it happened, and accounted for event by event.
replay strict "$prefix.perf.data"
case $expect in
loss)
	check "the recording shows the loss: idle-task events perf lacks ($dropped)" \
		'[ "${dropped:-0}" -gt 0 ]'
	check "perf's replay is inconclusive (exit $(cat "$tmp/strict.rc"))" \
		'[ "$(cat "$tmp/strict.rc")" = 3 ]'
	for cpu in $lossy; do
		check "the warning names CPU $cpu" \
			'grep -q "CPU $cpu (.*no sample of the idle task" "$tmp/strict.err"'
	done
	replay all --input-format=text "$tmp/cut-all.txt"
	want=$(grep -c ' mm_page_free: ' "$tmp/cut-all.txt")
	want=$((want - $(grep -c ' mm_page_free: ' "$tmp/cut.txt")))
	check "the frees perf lacks are exactly the idle-task frees removed ($want)" \
		'[ $(( $(counter free_count "$tmp/all.out") - $(counter free_count "$tmp/perf.out") )) = "$want" ]'
	;;
noloss)
	check "perf holds idle-task samples on every CPU it sampled" '[ "$lossy" = - ]'
	check "nothing is removed from the text" '[ "${dropped:-1}" = 0 ]'
	check "perf's replay is not inconclusive (exit $(cat "$tmp/strict.rc"))" \
		'[ "$(cat "$tmp/strict.rc")" -le 1 ]'
	check "and warns of no loss" '! grep -q "lost\|idle task" "$tmp/strict.err"'
	;;
*)
	echo "$me: third argument must be loss or noloss"
	exit 2
	;;
esac
finish "$me $prefix"
