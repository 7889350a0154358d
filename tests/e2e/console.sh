#!/usr/bin/env bash
# console.sh - serial console logs of a crashed Debian 6.1 kernel (testdata/console, see its
# README): the ftrace_dump_on_oops dump, with and without stacks, with lost events, in the
# orig_cpu form, behind a capture tool's prefix, and tp_printk lines with and without the dump.
#
# Usage: console.sh TOOL CONSOLE_DIR
# Every count is taken with awk from the log itself, not from the tool: page events are the
# dump's records ("COMM-PID CPUFLAGS TSus : mm_page_alloc: ...") between "Dumping ftrace
# buffer:" and the closing rule, or tp_printk lines ("] mm_page_alloc: ...") before the dump.
set -uo pipefail

tool=$1
dir=$2
. "$(dirname "$0")/testlib.sh"
command -v zstd >/dev/null || { echo "skipped: no zstd"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/console.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
value() { sed -n "s/^$2: //p" "$1" | head -1; }

# count LOG WHAT: WHAT is an event name, "stack", "lost" (the sum of LOST notices) or "tp:NAME"
count() {
	zstd -dc "$1" | awk -v what="$2" '
	{ sub(/\r$/, "") }	# the serial line ends "\r\n"
	/Dumping ftrace buffer:/ { dump = 1; rules = 0; next }
	dump && /\] -{20,}$/ { if (++rules == 2) dump = 0; next }
	what ~ /^tp:/ && !dump && $0 ~ ("\\] " substr(what, 4) ": ") { n++ }
	dump && what == "stack" && / [0-9]+[.dDX][^ ]* +[0-9]+us.: <stack trace>$/ { n++ }
	dump && what == "lost" && match($0, /CPU:[0-9]+ \[LOST [0-9]+ EVENTS\]/) {
		split(substr($0, RSTART, RLENGTH), f, " "); n += f[3] }
	dump && $0 ~ (" [0-9]+[.dDX][^ ]* +[0-9]+us.: " what ": ") { n++ }
	END { print n + 0 }'
}

end_dump="ends at the crash: Kernel panic - not syncing: sysrq triggered crash; after the ftrace_dump_on_oops dump of the ring buffer"

# FIXTURE:EXIT: the counts of every dump fixture, its exit status (3: the dump lost events, or
# holds one CPU's buffer only)
for fx in nostack:0 stack:0 stacklost:3 origcpu:3 overflow:3 capture:0 capture-raw:0; do
	name=${fx%:*}
	log=$dir/$name.log.zst
	"$tool" --stats --show-undecidable --examples=all -q "$log" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	check "$name: exit ${fx#*:} (got $rc: $(head -c 300 "$tmp/$name.err"))" "[ $rc -eq ${fx#*:} ]"
	for ev in mm_page_alloc mm_page_free mm_page_free_batched; do
		want=$(count "$log" $ev)
		got=$(value "$tmp/$name.out" events_$ev)
		check "$name: events_$ev $got, awk counts $want" "[ '$got' = '$want' ] && [ $want -gt 0 ]"
	done
	want=$(count "$log" lost)
	check "$name: lost_events $(value "$tmp/$name.out" lost_events), LOST notices sum $want" \
		"[ '$(value "$tmp/$name.out" lost_events)' = '$want' ]"
	check "$name: the end at the crash" \
		"[ '$(value "$tmp/$name.out" recording_end)' = '$end_dump' ]"
	check "$name: kernel" "[ '$(value "$tmp/$name.out" kernel)' = 6.1.0-57-amd64 ]"
	check "$name: format" \
		"value '$tmp/$name.out' format | grep -q '^text (ftrace_dump_on_oops console, zstd)'"
	check "$name: cpus" "[ '$(value "$tmp/$name.out" cpus)' = 2 ]"
done

# orig_cpu: the dump holds CPU 1 only, while the kernel brought up 2: CPU 0's events are
# missing, an uncounted loss.
check "origcpu: CPU 1 only in the dump" "[ \$(zstd -dc '$dir/origcpu.log.zst' | awk '/Dumping ftrace/ { d = 1 } d' |
	grep -oE ' [0-9]+[.dDX][^ ]* +[0-9]+us.: mm_page' | cut -c2 | sort -u) = 1 ]"
check "origcpu: 2 CPUs brought up" "zstd -dc '$dir/origcpu.log.zst' | grep 'smp: Brought up 1 node, 2 CPUs' >/dev/null"
check "origcpu: one uncounted loss" "[ '$(value "$tmp/origcpu.out" lost_notices_unknown_count)' = 1 ]"
check "origcpu: the note" "grep -q 'orig_cpu dump holds the crashing CPU.s buffer only: the page events of 1 other CPU(s) are missing' '$tmp/origcpu.err'"

# The capture tool's prefix changes nothing: the same boot as capture-raw.
check "capture = capture-raw" "diff <(grep -v '^recording:\|^checked:' '$tmp/capture.out') \
	<(grep -v '^recording:\|^checked:' '$tmp/capture-raw.out') >/dev/null"
check "capture lines carry a wall-clock prefix" \
	"zstd -dc '$dir/capture.log.zst' | grep -E '^[[]20[0-9-]+ [0-9:]+[]] [[] +[0-9]+[.][0-9]+[]] +init-1 ' >/dev/null"

# Stacks: every dumped page event has its <stack trace> (stack), and both CPUs took part.
want=$(count "$dir/stack.log.zst" stack)
got=$(value "$tmp/stack.out" stack_records)
check "stack: stack_records $got, awk counts $want" "[ '$got' = '$want' ] && [ $want -gt 0 ]"
events=$(($(value "$tmp/stack.out" events_mm_page_alloc) + $(value "$tmp/stack.out" \
	events_mm_page_free) + $(value "$tmp/stack.out" events_mm_page_free_batched)))
check "stack: events_with_stack = $events page events" \
	"[ '$(value "$tmp/stack.out" events_with_stack)' = $events ]"
check "stack: no unpaired stack" "[ '$(value "$tmp/stack.out" stacks_unpaired)' = 0 ]"
for name in nostack stack; do
	check "$name: both CPUs in one dump" "[ \$(zstd -dc '$dir/$name.log.zst' | awk '/Dumping ftrace/ { d = 1 } d' |
		grep -oE ' [01][.dDX][^ ]* +[0-9]+us.: mm_page' | cut -c2 | sort -u | wc -l) = 2 ]"
done

# tp_printk: the events as they happened, no dump.
log=$dir/tpprintk.log.zst
"$tool" --stats --show-undecidable --examples=all -q "$log" >"$tmp/tp.out" 2>&1
# It starts at boot and shows no SYSTEM_RUNNING boundary: inconclusive (README "Boot recordings").
check "tpprintk: exit 3, no boundary" "[ $? -eq 3 ] && grep -q 'SYSTEM_RUNNING begins is not found' '$tmp/tp.out'"
for ev in mm_page_alloc mm_page_free mm_page_free_batched; do
	want=$(count "$log" tp:$ev)
	check "tpprintk: events_$ev, awk counts $want" \
		"[ '$(value "$tmp/tp.out" events_$ev)' = '$want' ] && [ $want -gt 0 ]"
done
check "tpprintk: the end" "[ '$(value "$tmp/tp.out" recording_end)' = 'ends at the crash: Kernel panic - not syncing: sysrq triggered crash; no ftrace_dump_on_oops dump' ]"

# tp_printk and the dump: the dump repeats the same events; each is replayed once.
log=$dir/tpdump.log.zst
"$tool" --stats --show-undecidable --examples=all -q "$log" >"$tmp/tpd.out" 2>&1
check "tpdump: exit 3, no boundary" "[ $? -eq 3 ] && grep -q 'SYSTEM_RUNNING begins is not found' '$tmp/tpd.out'"
dumped=0
for ev in mm_page_alloc mm_page_free mm_page_free_batched; do
	want=$(count "$log" tp:$ev)
	dumped=$((dumped + $(count "$log" $ev)))
	check "tpdump: events_$ev, awk counts $want tp_printk lines" \
		"[ '$(value "$tmp/tpd.out" events_$ev)' = '$want' ] && [ $want -gt 0 ]"
done
check "tpdump: $dumped dump records said to repeat" \
	"value '$tmp/tpd.out' format | grep -q '; $dumped dump records repeat tp_printk lines'"

# SysRq z: the same dump without a crash, on the console and as dmesg and dmesg -r print it; the
# kernel's log buffer kept only the dump's tail, without its "Dumping ftrace buffer:" line, so
# dmesg's records are counted in the whole file.
"$tool" --stats --show-undecidable --examples=all -q "$dir/dmesg-console.log.zst" >"$tmp/dc.out" 2>&1
# Its 4 double frees have no stacks: undecidable, so inconclusive.
check "dmesg-console: exit 3, undecidable" "[ $? -eq 3 ] && grep -q 'are undecidable' '$tmp/dc.out'"
check "dmesg-console: the end" "[ '$(value "$tmp/dc.out" recording_end)' = 'ends at a dump of the ring buffer (whole) without an oops or panic line: SysRq z or ftrace_dump()' ]"
for name in dmesg dmesg-r; do
	"$tool" --stats --show-undecidable --examples=all -q "$dir/$name.log.zst" >"$tmp/$name.out" 2>&1
	check "$name: exit 0" "[ $? -eq 0 ]"
done
for ev in mm_page_alloc mm_page_free mm_page_free_batched; do
	want=$(count "$dir/dmesg-console.log.zst" $ev)
	check "dmesg-console: events_$ev, awk counts $want" \
		"[ '$(value "$tmp/dc.out" events_$ev)' = '$want' ] && [ $want -gt 0 ]"
	want=$(zstd -dc "$dir/dmesg.log.zst" | grep -cE " [0-9]+[.dDX][^ ]* +[0-9]+us.: $ev: ")
	for name in dmesg dmesg-r; do
		check "$name: events_$ev, grep counts $want" \
			"[ '$(value "$tmp/$name.out" events_$ev)' = '$want' ] && [ $want -gt 0 ]"
	done
done
check "dmesg-r lines carry the log level" \
	"zstd -dc '$dir/dmesg-r.log.zst' | awk 'NR == 1' | grep -E '^<0>[[] +[0-9.]+[]] ' >/dev/null"

# Standard input and a plain file read as the .zst does.
zstd -dc "$dir/nostack.log.zst" | tr -d '\r' >"$tmp/nostack.log"
zstd -dc "$dir/nostack.log.zst" | "$tool" --stats --show-undecidable --examples=all -q --input-format=text - >"$tmp/stdin.out" 2>&1
"$tool" --stats --show-undecidable --examples=all -q "$tmp/nostack.log" >"$tmp/plain.out" 2>&1
for f in stdin plain; do
	check "nostack from $f: same counters" "diff <(grep -v '^recording:\|^format:\|^checked:' '$tmp/$f.out') \
		<(grep -v '^recording:\|^format:\|^checked:' '$tmp/nostack.out') >/dev/null"
done

# A page allocated twice (the alloc line of a page the dump leaves allocated, repeated before
# the closing rule): a violation at that pfn (--strict: without stacks it is undecidable), with
# its gfp flags read from their names.
line=$(awk '/Dumping ftrace/ { d = 1 } !d || !match($0, /pfn=0x[0-9a-f]+ /) { next }
	{ pfn = substr($0, RSTART, RLENGTH) }
	/us : mm_page_alloc: .*gfp_flags=GFP_KERNEL_ACCOUNT\|__GFP_ZERO$/ { last[pfn] = $0; next }
	/us : mm_page_free/ { delete last[pfn] }
	END { n = asort(last); print last[1] }' "$tmp/nostack.log")
pfn=$(echo "$line" | grep -oE 'pfn=0x[0-9a-f]+')
again=$(echo "$line" | sed -E 's/ [0-9]+us : / 999999999us : /')
awk -v again="$again" '/Dumping ftrace/ { d = 1 } d && /\] -{20,}$/ && ++r == 2 { print again }
	{ print }' "$tmp/nostack.log" >"$tmp/twice.log"
"$tool" --stats --show-undecidable --examples=all --strict "$tmp/twice.log" >"$tmp/twice.out" 2>&1
check "twice: exit 1" "[ $? -eq 1 ]"
check "twice: the double alloc of $pfn" \
	"grep -q '^  event: mm_page_alloc $pfn order=[0-9] gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO migratetype=0' '$tmp/twice.out'"
check "twice: verdict" "[ '$(value "$tmp/twice.out" verdict)' = violations ]"

# The same with one dump line cut short by the serial line (before its order): damaged, so
# inconclusive, not clean.
awk '!cut && / mm_page_free: .* order=[0-9]$/ { print substr($0, 1, index($0, " order=")); cut = 1
	next } { print }' \
	"$tmp/twice.log" >"$tmp/twicecut.log"
"$tool" --stats --show-undecidable --examples=all --strict "$tmp/twicecut.log" >"$tmp/twicecut.out" 2>&1
check "twice, a line cut: exit 3" "[ $? -eq 3 ]"
check "twice, a line cut: still the double alloc of $pfn" \
	"grep -q '^  event: mm_page_alloc $pfn ' '$tmp/twicecut.out'"
check "twice, a line cut: verdict" "[ '$(value "$tmp/twicecut.out" verdict)' = inconclusive ]"

finish console
