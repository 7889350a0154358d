#!/usr/bin/env bash
# boot.sh - the boot phase of recordings that start at boot, against what boot-boundary.awk
# finds in `trace-cmd report -t -R` (no code of the tool).
#
# Usage: boot.sh TOOL FILE...
# For each FILE:
#   - the report's from_boot, boot_marker and running_from lines equal the awk's;
#   - --model=kernel and the default window model: the counters equal oracle.sh's at that
#     boundary (compare-counters.sh), and --running-from overrides the boundary;
#   - the default replay reports no violation (exit 0, double_*_violation_events 0), in text
#     and the marker and boundary in json too.
# For the first FILE with kprobe markers, the markers' fallbacks, by removing lines from the
# text of `trace-cmd report -t` (replayed as text, --input-format=text): without the kprobe lines
# the free_initmem burst; without those and pid 1's frees, the last initcall; without those and
# the initcalls, pid 1's first exec; without any marker, none: every free of a free page gated,
# the verdict inconclusive.
# Exit 77 when no FILE exists.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
export LC_ALL=C

[ $# -ge 2 ] || { echo "usage: $me TOOL FILE..." >&2; exit 2; }
tool=$1
shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/boot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The three boot lines of a report, without the tool's "(boot_marker)" note.
boot_lines() {
	grep -E '^(from_boot|boot_marker|running_from): ' "$1" | sed 's/ (boot_marker)$//'
}

expect_boot() {		# expect_boot TEXT_FILE: the awk's lines for a report text
	awk -f "$here/boot-boundary.awk" "$1"
}

ran=0
fallbacks_done=0
for file in "$@"; do
	[ -e "$file" ] || { echo "$me: skipped: $file does not exist"; continue; }
	ran=1
	name=${file##*/}
	trace-cmd report -t -R "$file" >"$tmp/raw.txt" 2>/dev/null
	expect_boot "$tmp/raw.txt" >"$tmp/expect"
	check "$name: the awk finds a boot" "grep -q '^from_boot: yes$' '$tmp/expect'"
	check "$name: the awk finds a marker" "! grep -q '^boot_marker: none$' '$tmp/expect'"

	# Under ASan, libtracecmd's own small leak in v6 files (vsscanf, as text-vs-dat.sh says)
	# would turn the exit status into LeakSanitizer's: this run, whose status is checked, goes
	# without leak detection; the others keep it.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$tool" --stats -q "$file" >"$tmp/out" \
		2>"$tmp/err"
	rc=$?
	boot_lines "$tmp/out" >"$tmp/got"
	check "$name: boundary as the awk finds it ($(sed -n 's/^boot_marker: //p' "$tmp/expect"))" \
		"diff -u '$tmp/expect' '$tmp/got'"
	# Clean, or inconclusive only for candidates a boot recording without stacks cannot decide.
	check "$name: default replay exits 0, or 3 with undecidable candidates (got $rc)" \
		"[ $rc -eq 0 ] || { [ $rc -eq 3 ] && grep -q 'are undecidable' '$tmp/err'; }"
	check "$name: exit 0 when the undecidable ones are accepted" \
		"ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}detect_leaks=0 '$tool' -q --allow-undecidable '$file' >/dev/null 2>&1"
	check "$name: no double-free violation" \
		"grep -q '^double_free_violation_events: 0$' '$tmp/out'"
	check "$name: no double-alloc violation" \
		"grep -q '^double_alloc_violation_events: 0$' '$tmp/out'"

	marker=$(sed -n 's/^boot_marker: \([a-z_]*\).*/\1/p' "$tmp/expect")
	rf=$(sed -n 's/^running_from: //p' "$tmp/expect")
	"$tool" --stats -q --format=json "$file" >"$tmp/json" 2>/dev/null
	check "$name: json names the marker" "grep -q '\"boot_marker\": *\"$marker at ' '$tmp/json'"
	check "$name: json gives running_from" "grep -q '\"running_from\": *\"$rf' '$tmp/json'"

	for model in kernel window; do
		check "$name: --model=$model counters equal the oracle's at the boundary" \
			"'$here/compare-counters.sh' '$tool' '$file' --model=$model >'$tmp/cmp' 2>&1 ||
			 { cat '$tmp/cmp'; false; }"
	done
	# The boundary handed in by hand gives the same counters as the one found.
	"$tool" --stats -q --model=kernel --running-from="$rf" "$file" >"$tmp/by-hand" 2>/dev/null
	"$tool" --stats -q --model=kernel "$file" >"$tmp/found" 2>/dev/null
	check "$name: --running-from=$rf gives the counters of the found boundary" \
		"diff <(grep -v '^running_from' '$tmp/by-hand') <(grep -v '^running_from' '$tmp/found') >/dev/null"
	# --running-from overrides: one second later, and the oracle agrees at that time too.
	late=$(awk -v t="$rf" 'BEGIN { split(t, p, "."); printf "%d.%s", p[1] + 1, p[2] }')
	"$tool" --stats -q --running-from="$late" "$file" >"$tmp/late" 2>/dev/null
	check "$name: --running-from overrides the marker" \
		"grep -q '^running_from: $late (--running-from)$' '$tmp/late'"
	check "$name: --running-from=$late: counters equal the oracle's" \
		"'$here/compare-counters.sh' '$tool' '$file' --model=kernel --running-from=$late \
			>'$tmp/cmp' 2>&1 || { cat '$tmp/cmp'; false; }"

	# Fallbacks, on the first recording that has the exact marker.
	if [ "$fallbacks_done" = 0 ] && [ "$marker" = system_state ]; then
		fallbacks_done=1
		trace-cmd report -t "$file" >"$tmp/plain.txt" 2>/dev/null
		# Kprobe lines start their fields with "(ADDR)" or "(ADDR <- RET)", raw ones with
		# __probe_ip= / __probe_func=.
		kp='^ *[^ ].*-[0-9]+ +\[[0-9]+\] +[0-9.]+: +[a-z_0-9]+: +(\(|__probe_)'
		free1='-1 +\[[0-9]+\] +[0-9.]+: +mm_page_free: '
		init=': +initcall_finish: '
		exec1='-1 +\[[0-9]+\] +[0-9.]+: +sched_process_exec: '
		n=0
		for want in free_initmem_burst last_initcall first_exec none; do
			case $want in
			free_initmem_burst) drop="$kp" ;;
			last_initcall) drop="$kp|$free1" ;;
			first_exec) drop="$kp|$free1|$init" ;;
			none) drop="$kp|$free1|$init|$exec1" ;;
			esac
			n=$((n + 1))
			grep -Ev "$drop" "$tmp/plain.txt" >"$tmp/cut$n.txt"
			grep -Ev "$drop" "$tmp/raw.txt" >"$tmp/cutraw$n.txt"
			expect_boot "$tmp/cutraw$n.txt" >"$tmp/expect$n"
			check "$name without some markers: the awk finds $want" \
				"grep -q '^boot_marker: $want' '$tmp/expect$n'"
			"$tool" --stats -q --input-format=text "$tmp/cut$n.txt" >"$tmp/out$n" 2>/dev/null
			boot_lines "$tmp/out$n" >"$tmp/got$n"
			check "$name without some markers: the tool finds $want as the awk does" \
				"diff -u '$tmp/expect$n' '$tmp/got$n'"
		done
		# No boundary: every free of a free page is gated (none reported, none ruled out):
		# as many as --running-from=0 reports, and the verdict is inconclusive (exit 3).
		"$tool" --stats -q --input-format=text "$tmp/cut4.txt" >/dev/null 2>"$tmp/err4"
		rc4=$?
		"$tool" --stats -q --input-format=text --running-from=0 "$tmp/cut4.txt" >"$tmp/zero4" \
			2>/dev/null
		gated=$(sed -n 's/^boot_free_unallocated_events: //p' "$tmp/out4")
		check "$name without markers: no double free reported" \
			"grep -q '^double_free_events: 0$' '$tmp/out4'"
		check "$name without markers: every double free of --running-from=0 gated ($gated)" \
			"[ '$gated' -gt 0 ] && grep -q '^double_free_events: $gated$' '$tmp/zero4'"
		check "$name without markers: inconclusive, exit 3 (got $rc4)" \
			"[ $rc4 -eq 3 ] && grep -q '^verdict: inconclusive$' '$tmp/out4'"
		check "$name without markers: the warning says how to give the boundary" \
			"grep -q 'not found in it.*--running-from=SECONDS' '$tmp/err4'"
		# A marker before the first page event is kept, not only counted: one
		# initcall_finish of the idle task, first in the text without markers.
		line='          <idle>-0     [000]     0.000000000: initcall_finish:      func=x+0x0 ret=0'
		{ head -n 1 "$tmp/cut4.txt"; echo "$line"; tail -n +2 "$tmp/cut4.txt"; } >"$tmp/first.txt"
		{ head -n 1 "$tmp/cutraw4.txt"; echo "$line"; tail -n +2 "$tmp/cutraw4.txt"; } \
			>"$tmp/firstraw.txt"
		expect_boot "$tmp/firstraw.txt" >"$tmp/expect5"
		"$tool" --stats -q --input-format=text "$tmp/first.txt" >"$tmp/out5" 2>/dev/null
		boot_lines "$tmp/out5" >"$tmp/got5"
		check "$name: an initcall before the first page event counts (awk: last_initcall)" \
			"grep -q '^boot_marker: last_initcall at 0.000000000$' '$tmp/expect5'"
		check "$name: an initcall before the first page event counts (tool as the awk)" \
			"diff -u '$tmp/expect5' '$tmp/got5'"
		check "$name: events_initcall_finish 1 with it" \
			"grep -q '^events_initcall_finish: 1$' '$tmp/out5'"
	fi
done
[ "$ran" = 1 ] || exit 77
finish "$me"
