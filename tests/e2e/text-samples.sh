#!/usr/bin/env bash
# text-samples.sh - text traces that come from no trace.dat, and malformed text.
#
# Usage: text-samples.sh TOOL TESTDATA_DIR
#  - text/tracefs_stack.txt.zst: the first 20000 lines of a saved instances/NAME/trace (kmem page
#    events with options/stacktrace, recorded on 6.18): the tool's event counts against grep counts
#    of the same text, and every stack paired;
#  - text/tp_printk_dmesg.txt: console lines written by hand from the TP_printk formats (not a
#    capture), with counters worked out by hand;
#  - malformed input (binary junk, a truncated line, a 2 MiB line, NUL bytes, a truncated zstd
#    stream): exit 2 or counted lines, never a crash.
set -uo pipefail

tool=$1
data=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/textsamples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
value() { sed -n "s/^$2: //p" "$1" | head -1; }

command -v zstd >/dev/null || { echo "skipped: no zstd"; exit 77; }
zstd -dc "$data/text/tracefs_stack.txt.zst" >"$tmp/tracefs.txt"
"$tool" --stats "$data/text/tracefs_stack.txt.zst" >"$tmp/t.out" 2>"$tmp/t.err"
rc=$?
# Its one double alloc's previous allocation has no stack: undecidable, so inconclusive.
[ $rc -eq 3 ] && grep -q 'are undecidable' "$tmp/t.err" ||
	fail "tracefs sample exited $rc: $(cat "$tmp/t.err")"
for ev in mm_page_alloc mm_page_free mm_page_free_batched; do
	want=$(grep -cE "^ .*\] [^ ]+ +[0-9]+\.[0-9]+: $ev: " "$tmp/tracefs.txt")
	got=$(value "$tmp/t.out" "events_$ev")
	[ "$want" = "$got" ] || fail "tracefs sample: events_$ev $got, grep counts $want"
done
want=$(grep -c ': <stack trace>$' "$tmp/tracefs.txt")
[ "$(value "$tmp/t.out" stack_records)" = "$want" ] || fail "tracefs sample: stack_records"
[ "$(value "$tmp/t.out" events_other)" = "$want" ] || fail "tracefs sample: events_other"
[ "$(value "$tmp/t.out" stacks_unpaired)" = 0 ] || fail "tracefs sample: unpaired stacks"
[ "$(value "$tmp/t.out" events_with_stack)" = "$want" ] || fail "tracefs sample: events_with_stack"

"$tool" --stats "$data/text/tp_printk_dmesg.txt" >"$tmp/d.out" 2>"$tmp/d.err"
rc=$?
# A console trace of a boot (pid 0 at 1.2 s) with no SYSTEM_RUNNING boundary: its frees of free
# pages (0x100000 again, 1 page; 0x100030 order 1, never seen, 2 pages) are gated, not double
# frees, and the verdict is inconclusive (exit 3); so is its double alloc without stacks.
[ $rc -eq 3 ] || fail "dmesg sample exited $rc, not 3"
for kv in events_mm_page_alloc=5 events_mm_page_free=4 events_mm_page_free_batched=1 \
	failed_allocs=1 alloc_count=4 free_count=4 pages_tracked=1 double_alloc_pages=1 \
	double_free_pages=0 boot_free_unallocated_pages=3 free_unseen_pages=2 cpus=2 \
	"pfn_range=[1048576-1048626)" "running_from=not found"; do
	got=$(value "$tmp/d.out" "${kv%%=*}")
	[ "$got" = "${kv#*=}" ] || fail "dmesg sample: ${kv%%=*} $got, expected ${kv#*=}"
done

# Malformed input: exit 2, or 0/1/3 with the bad lines counted; a signal is a crash.
head -c 1000000 /dev/urandom >"$tmp/junk.bin"
head -c 777777 "$tmp/tracefs.txt" >"$tmp/cut.txt"
{ head -n 300 "$tmp/tracefs.txt"; head -c 2097152 /dev/zero | tr '\0' 'x'; echo;
  tail -n 300 "$tmp/tracefs.txt"; } >"$tmp/huge.txt"
{ head -n 300 "$tmp/tracefs.txt"; printf '  a-1 [000] 1.0: mm_page_free: pfn=0x1\0 order=0\n'; } \
	>"$tmp/nul.txt"
zstd -q -c "$tmp/tracefs.txt" | head -c 20000 >"$tmp/cut.zst"
{ head -c 4 "$data/text/tracefs_stack.txt.zst"; head -c 5000 /dev/urandom; } >"$tmp/badz.zst"
printf '  a-1 [000] 1.0: mm_page_alloc: pfn=0x10 order=99 gfp_flags=0x0\n' >"$tmp/order.txt"
for f in junk.bin cut.txt huge.txt nul.txt cut.zst badz.zst order.txt; do
	"$tool" --stats "$tmp/$f" >"$tmp/m.out" 2>"$tmp/m.err"
	rc=$?
	case $f:$rc in
	junk.bin:2 | badz.zst:2 | cut.zst:2 | order.txt:2 | cut.txt:[013]) ;;
	huge.txt:[013] | nul.txt:[013])
		grep -q 'lines not understood' "$tmp/m.out" || fail "$f: bad lines not counted" ;;
	*) fail "$f: exit $rc: $(head -c 300 "$tmp/m.err")" ;;
	esac
done
grep -q 'not a trace-cmd trace.dat' <("$tool" --stats "$tmp/junk.bin" 2>&1) ||
	fail "junk.bin: message lacks 'not a trace-cmd trace.dat'"

echo "text-samples: $fails failures"
[ "$fails" -eq 0 ]
