#!/usr/bin/env bash
# damaged-tracedat.sh - one regression case for every class of damaged input issue 17 found:
# each damaged copy is made here from the recordings in testdata (tests/tools/tddamage for
# the v6 block edits, head/dd for cuts and flipped bytes) and must give its exit status and a
# one-line message naming what to do, with both readers; none may crash, hang or say "clean".
#
# Usage: damaged-tracedat.sh TOOL TDDAMAGE CUT_SHIM TESTDATA_DIR
# Exit 0 when every case gives what it should, 1 otherwise.
set -uo pipefail

me=${0##*/}
tool=$1
tddamage=$2
cut_shim=$3
data=$4
v6=$data/t01_v6_nokallsyms.dat
v7=$data/t02_v7zstd_nokallsyms.dat
v7none=$data/t04_v7none_nokallsyms.dat
tmp=$(mktemp -d "${TMPDIR:-/tmp}/damaged-tracedat.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
cases=0

# expect STATUS WANT FILE [ARGS...]: both readers exit STATUS with WANT (an ERE, or "") on stderr,
# in one line for an error; a crash (status > 128) or a timeout is always a failure.
expect() {
	local want_rc=$1 want=$2 file=$3 reader rc
	shift 3
	for reader in auto libtracecmd; do
		cases=$((cases + 1))
		timeout 60 "$tool" --reader=$reader -q "$@" "$file" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" -ne "$want_rc" ] || { [ -n "$want" ] && ! grep -Eq -- "$want" "$tmp/err"; } ||
		   { [ "$want_rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -ne 1 ]; } ||
		   { [ "$want_rc" -ne 0 ] && grep -q '^verdict: clean' "$tmp/out"; }; then
			echo "$me: FAIL ${file##*/} --reader=$reader: exit $rc (want $want_rc, /$want/), stderr:" >&2
			sed 's/^/  /' "$tmp/err" >&2
			fail=1
		else
			echo "ok ${file##*/} --reader=$reader: exit $rc: $(head -c 200 "$tmp/err")"
		fi
		[ "$reader" = auto ] || continue
		# Read on one thread, read ahead by inflaters: the same message, the same status.
		for threads in 1 3; do
			timeout 60 "$tool" --reader=$reader --threads=$threads -q "$@" "$file" \
				>"$tmp/out.t" 2>"$tmp/err.t"
			if [ $? -ne "$rc" ] || ! cmp -s "$tmp/err" "$tmp/err.t" ||
			   ! cmp -s "$tmp/out" "$tmp/out.t"; then
				echo "$me: FAIL ${file##*/} --threads=$threads: not as with the default threads:" >&2
				diff "$tmp/err" "$tmp/err.t" | head -4 >&2
				fail=1
			fi
		done
	done
}

damage() {
	"$tddamage" "$v6" "$tmp/$1.dat" "$1" || { echo "$me: tddamage $1 failed" >&2; exit 1; }
}

# Event formats libtraceevent's parser crashed on (tracecmd_open_head, both readers).
for d in fmt-flags fmt-operands fmt-arrow; do
	damage $d
	expect 2 "event kmem:mm_page_alloc is not one a kernel writes" "$tmp/$d.dat"
done
# The same NULL read in process_op() (fuzz_tracedat, issue 17): an operator libtraceevent does
# not know after an index or a conditional's last operand.
unknown="kmem:mm_page_alloc is not one a kernel writes \\(line [0-9]+: an operator libtraceevent"
damage fmt-index-dot
expect 2 "$unknown does not know after an index's '\\]'\\)" "$tmp/fmt-index-dot.dat"
damage fmt-cond-assign
expect 2 "$unknown does not know after the operand of a '\\? :'\\)" "$tmp/fmt-cond-assign.dat"
# "sizeof(int)": libtraceevent 1.7.1's process_sizeof() reads a token it has freed (ASan;
# trace-cmd report under ASan too).
damage fmt-sizeof
expect 2 "kmem:mm_page_alloc is not one a kernel writes \\(line [0-9]+: a sizeof\\(\\) libtraceevent 1.7.1 reads after freeing it" \
	"$tmp/fmt-sizeof.dat"
# printk formats: an unterminated quote (an out-of-bounds read), a size of 0xffffffff (a heap
# overflow: libtracecmd allocates size + 1 bytes); kallsyms the same.
damage printk-quote
expect 2 "printk format line 1 is not" "$tmp/printk-quote.dat"
damage printk-size
expect 2 "printk formats block claims 4294967295 bytes" "$tmp/printk-size.dat"
damage kallsyms-size
expect 2 "kallsyms block claims 4294967295 bytes" "$tmp/kallsyms-size.dat"
damage kallsyms-garble
expect 2 "kallsyms are not as a kernel writes them" "$tmp/kallsyms-garble.dat"
# Page size 0 (a division by zero in tracecmd_init_data), and a page size that lies (exit 2,
# not 3).
damage page-size-0
expect 2 "page size 0 " "$tmp/page-size-0.dat"
damage page-size-lie
expect 2 "header_page describes 4096-byte pages, the file header says 8192" "$tmp/page-size-lie.dat"
# The first page of a CPU claiming commit 2^64-1 (kbuffer_load_subbuffer walked past it).
damage commit-max
expect 2 "CPU 0: a ring-buffer page" "$tmp/commit-max.dat"
# header_page's layout is what kbuffer reads the pages with (fuzz_tracedat run 14: a 4-byte
# commit word, so 12-byte page headers, and no data field; kbuffer_load_subbuffer() read past
# the page). Three bytes of header_page made into a 32-bit layout: the pages, written with
# 16-byte headers, are walked with 12 and refused. No data field after the commit word: refused.
perl -0777 -pe 's/(local_t commit;\toffset:8;\tsize:)8;/${1}4;/;
		 s/(char data;\toffset:)16;(\tsize:)4080;/${1}12;${2}4084;/' "$v6" >"$tmp/hp-32.dat"
expect 2 "CPU 0: a ring-buffer page: a record (header lies|runs) past" "$tmp/hp-32.dat"
perl -0777 -pe 's/char data;/char daat;/' "$v6" >"$tmp/hp-no-data.dat"
expect 2 "header_page has no 'data' field right after its 8-byte commit word" "$tmp/hp-no-data.dat"
# A v7 CPU whose chunk count lost its last chunk (fuzz_tracedat: a t02 whose CPU 1 said 0
# chunks read half its events and said "clean"): the chunks end before the CPU's data does.
# t02's CPUs as trace-cmd lists them: "ID OFFSET SIZE [id, data offset and size]".
v7_cpus=$(trace-cmd dump --flyrecord "$v7" 2>/dev/null | grep 'data offset and size' | sort -u)
cpu1=$(awk '$1 == 1 { print $2; exit }' <<<"$v7_cpus")
chunks=$(od -An -tu4 -j "${cpu1:-0}" -N4 "$v7" | tr -d ' ')
if [ -z "$cpu1" ] || [ "${chunks:-0}" -lt 2 ]; then
	echo "$me: FAIL ${v7##*/}: no CPU 1 with 2 chunks or more (offset '$cpu1', '$chunks' chunks)" >&2
	fail=1
else
	cp "$v7" "$tmp/chunk-count.dat"
	printf "\\x$(printf %02x $((chunks - 1)))" |
		dd of="$tmp/chunk-count.dat" bs=1 seek="$cpu1" conv=notrunc status=none
	expect 2 "CPU 1: its $((chunks - 1)) compressed chunks end [0-9]+ bytes before its data does: its chunk count is damaged" \
		"$tmp/chunk-count.dat"
fi
# trace-cmd 3.2 and later record a CPU's compressed size with its 4-byte chunk count (commit
# 4b921329), 3.1 without: t02 (3.1) with every CPU's size made 4 bytes larger reads the same.
le8() {
	local i
	for i in 0 1 2 3 4 5 6 7; do printf '\\x%02x' $((($1 >> (8 * i)) & 255)); done
}
cp "$v7" "$tmp/size-with-count.dat"
while read -r id offset size rest; do
	at=$(LC_ALL=C grep -obUaP "$(le8 "$offset")$(le8 "$size")" "$v7" | tail -1 | cut -d: -f1)
	[ -n "$at" ] || { echo "$me: FAIL ${v7##*/}: no BUFFER option pair for CPU $id" >&2; fail=1; }
	printf "$(le8 $((size + 4)))" |
		dd of="$tmp/size-with-count.dat" bs=1 seek=$((${at:-0} + 8)) conv=notrunc status=none
done <<<"$v7_cpus"
expect 0 "" "$tmp/size-with-count.dat"
if ! "$tool" -q "$tmp/size-with-count.dat" | grep -q '^checked: 1282 allocs and 1216 frees'; then
	echo "$me: FAIL size-with-count.dat does not read t02's 1282 allocs and 1216 frees" >&2
	fail=1
fi
# A CPU whose data is 4 bytes: libtracecmd maps a whole page there all the same, so the page is
# checked as it is in the file (here with a commit word of 2^64-1).
cp "$v6" "$tmp/short-cpu.dat"
pairs=$(( $(grep -boa flyrecord "$v6" | head -1 | cut -d: -f1) + 10 ))
cpu0=$(od -An -tu8 -j "$pairs" -N8 "$v6" | tr -d ' ')
printf '\x04\0\0\0\0\0\0\0' | dd of="$tmp/short-cpu.dat" bs=1 seek=$((pairs + 8)) conv=notrunc status=none
printf '\xff\xff\xff\xff\xff\xff\xff\xff' |
	dd of="$tmp/short-cpu.dat" bs=1 seek=$((cpu0 + 8)) conv=notrunc status=none
expect 2 "CPU 0: a ring-buffer page: its commit word has bits set" "$tmp/short-cpu.dat"
# A kmem field outside the record (it read as 0, exit 0 "clean").
damage kmem-offset
expect 2 "mm_page_alloc of 40 bytes, shorter than the fields its event format places" \
	"$tmp/kmem-offset.dat"
# An edited event id or name: every allocation vanished and the verdict was "clean".
damage event-id
expect 3 "page-event records could not be read \(records of an event id" "$tmp/event-id.dat"
damage event-name
expect 3 "mm_page_free events and no mm_page_alloc event" "$tmp/event-name.dat"
# judged, its frees of freed pages are undecidable (no stacks): accepted as well to exit 0
expect 0 "mm_page_free events and no mm_page_alloc event.*--allow-damaged" \
	"$tmp/event-name.dat" --allow-damaged --allow-undecidable
# In KTAP the recording is not complete (a CI job reading KTAP sees it, not only exit 3).
cases=$((cases + 1))
"$tool" --format=ktap "$tmp/event-name.dat" >"$tmp/ktap" 2>/dev/null
if ! grep -q '^not ok [0-9]* recording_complete$' "$tmp/ktap"; then
	echo "$me: FAIL KTAP of event-name.dat: recording_complete is not 'not ok'" >&2
	fail=1
fi

# A v6 file whose data is latency-tracer text: libtracecmd's iterator crashed on it (NULL CPU
# data, found by fuzz_tracedat); it holds no page event, so it is refused.
cp "$v6" "$tmp/latency.dat"
at=$(grep -boa flyrecord "$tmp/latency.dat" | head -1 | cut -d: -f1)
printf 'latency  \0' | dd of="$tmp/latency.dat" bs=1 seek="$at" conv=notrunc status=none
expect 2 "latency-tracer text, not ring-buffer pages" "$tmp/latency.dat"

# Text lines of page events with an impossible CPU, order, pfn or timestamp: they were dropped
# with a count and the verdict stayed clean; now it is inconclusive unless --allow-damaged.
trace-cmd report "$v6" >"$tmp/report.all" 2>/dev/null
head -300 "$tmp/report.all" >"$tmp/report.txt"
if grep -q 'mm_page_alloc:' "$tmp/report.txt"; then
	expect 0 "" "$tmp/report.txt"
	n=0
	for edit in 's/\[00[0-9]\]/[99999]/' 's/order=0/order=99/' 's/pfn=0x[0-9a-f]*/pfn=0xzz/' \
		    's/ \([0-9]*\.[0-9]*\): mm_page_alloc/ x\1: mm_page_alloc/'; do
		n=$((n + 1))
		sed "$(grep -n -m1 'mm_page_alloc:' "$tmp/report.txt" | cut -d: -f1)$edit" \
			"$tmp/report.txt" >"$tmp/text$n.txt"
		expect 3 "1 page-event records could not be read \(lines of page events not understood" \
			"$tmp/text$n.txt"
	done
	expect 0 "judged anyway \(--allow-damaged\)" "$tmp/text1.txt" --allow-damaged
else
	echo "$me: FAIL trace-cmd report of ${v6##*/} gave no page events" >&2
	fail=1
fi

# A v7 file cut inside its first section offset (a double free in libtracecmd), and at every
# byte of its fixed header.
for cut in 10 20 28 30 33 36; do
	head -c $cut "$v7" >"$tmp/cut$cut.dat"
	expect 2 "truncated or corrupt|not a trace-cmd trace.dat" "$tmp/cut$cut.dat"
done

# A v7 section header whose size is 2^64 - 16: libtracecmd's walk of the section headers for
# its strings (read_metadata_strings(), in tracecmd_alloc_fd) takes it for a step back of 16
# bytes and reads the same header without end (fuzz_tracedat run 9; trace-cmd report hangs
# too). First the first header; then a header after the compressed STRINGS block (the last
# section), inside the section's size, where libtracecmd's walk goes on and a walk by the
# section's size would not.
back='\xf0\xff\xff\xff\xff\xff\xff\xff'
cp "$v7none" "$tmp/step-back.dat"
printf "$back" | dd of="$tmp/step-back.dat" bs=1 seek=40 conv=notrunc status=none
expect 2 "a section header at offset 32: its size 18446744073709551600 takes libtracecmd back to offset 32, from where it walks the section headers round again" \
	"$tmp/step-back.dat"
cp "$v7" "$tmp/strings-tail.dat"
strings_at=$(( $(stat -c %s "$v7") - 117 ))	# id 15, flags 1, size 101 = 8 + 93 compressed
if [ "$(od -An -tx1 -j "$strings_at" -N 9 "$v7" | tr -d ' \n')" != 0f0001006400000065 ]; then
	echo "$me: FAIL ${v7##*/} does not end with the 117-byte STRINGS section this case edits" >&2
	fail=1
fi
printf '\x75' | dd of="$tmp/strings-tail.dat" bs=1 seek=$((strings_at + 8)) conv=notrunc status=none
printf "\\0\\0\\0\\0\\0\\0\\0\\0$back" >>"$tmp/strings-tail.dat"
expect 2 "a section header at offset $(stat -c %s "$v7"): its size 18446744073709551600 takes libtracecmd back" \
	"$tmp/strings-tail.dat"
# A run of 16,385 headers of size 0 (libtracecmd walks them; trace-cmd writes about ten).
{ head -c 32 "$v7none"; head -c 300000 /dev/zero; } >"$tmp/many-headers.dat"
expect 2 "more than 16384 section headers follow each other" "$tmp/many-headers.dat"

# One byte changed in a v7 compressed or uncompressed header section: an error, or the same
# answer as the undamaged file (every counter from pages_tracked on, and the verdict: a byte
# no page event depends on, e.g. in an ftrace format the recording has no record of). Never a
# crash, never another verdict.
for file in "$v7" "$v7none" "$v6"; do
	"$tool" -q "$file" 2>/dev/null | sed -n '/^pages_tracked:/,$p' >"$tmp/good"
	end=$(( $(stat -c %s "$file") < 12288 ? $(stat -c %s "$file") : 12288 ))
	for ((off = 37; off < end; off += 293)); do
		cases=$((cases + 1))
		cp "$file" "$tmp/flip.dat"
		printf '\x5a' | dd of="$tmp/flip.dat" bs=1 seek=$off conv=notrunc status=none
		timeout 60 "$tool" -q "$tmp/flip.dat" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
			continue
		fi
		if [ "$rc" -le 3 ] && cmp -s <(sed -n '/^pages_tracked:/,$p' "$tmp/out") "$tmp/good"; then
			continue
		fi
		echo "$me: FAIL ${file##*/} with byte $off changed: exit $rc, stderr:" >&2
		sed 's/^/  /' "$tmp/err" >&2
		fail=1
	done
done

# perf.data with mm_page_alloc renamed in its tracing data: every allocation vanished and the
# verdict was "clean" (w02: no idle-CPU loss warning of its own).
perf=$data/w02_same_cpu0.perf.data
LC_ALL=C sed 's/name: mm_page_alloc$/name: mm_page_allox/' "$perf" >"$tmp/renamed.perf.data"
cases=$((cases + 1))
timeout 60 "$tool" -q "$tmp/renamed.perf.data" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 3 ] || ! grep -q "mm_page_free events and no mm_page_alloc event" "$tmp/err"; then
	echo "$me: FAIL perf.data with mm_page_alloc renamed: exit $rc" >&2
	sed 's/^/  /' "$tmp/err" >&2
	fail=1
else
	echo "ok renamed.perf.data: exit $rc: $(head -c 200 "$tmp/err")"
fi

# perf.data from a device or a pipe: refused after its first bytes, in bounded memory (1 GiB of
# address space; not under ASan, whose shadow memory alone is larger).
cases=$((cases + 2))
limit=1048576
grep -q __asan_init "$tool" && limit=unlimited
out=$( (ulimit -v $limit; timeout 20 "$tool" --input-format=perf /dev/zero) 2>&1)
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "no PERFILE2 magic" <<<"$out"; then
	echo "$me: FAIL --input-format=perf /dev/zero: exit $rc: $out" >&2
	fail=1
fi
out=$( (ulimit -v $limit; timeout 20 "$tool" --input-format=perf - </dev/zero) 2>&1)
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "no PERFILE2 magic" <<<"$out"; then
	echo "$me: FAIL --input-format=perf - </dev/zero: exit $rc: $out" >&2
	fail=1
fi

# --reader=libtracecmd on a file cut while the replay runs: exit 2 and a message, not SIGBUS.
# The shim cuts the file when libtracecmd starts to iterate, after every check has passed.
cases=$((cases + 1))
cp "$v6" "$tmp/shrink.dat"
# (Under ASan the shim comes before its runtime in the preload order, which it otherwise refuses.)
PCR_CUT_FILE="$tmp/shrink.dat" PCR_CUT_SIZE=50000 LD_PRELOAD=$cut_shim \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	timeout 60 "$tool" --reader=libtracecmd -q "$tmp/shrink.dat" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "became shorter while it was read" "$tmp/err"; then
	echo "$me: FAIL a file cut during --reader=libtracecmd: exit $rc" >&2
	sed 's/^/  /' "$tmp/err" >&2
	fail=1
else
	echo "ok cut during the replay: exit $rc: $(cat "$tmp/err")"
fi

echo "$me: $cases cases, $([ $fail -eq 0 ] && echo 'all as expected' || echo 'FAILURES')"
exit $fail
