#!/bin/bash
# faults-console.sh - the console of a kernel that crashed right after a pcr_fault fault
# (testdata/console/fault-MODE[-stacks]-CRASH.log.zst, made by
# tests/kernel/faults/run-boot-crash.sh) gives the same answer as the trace.dat of the same
# fault mode (testdata/faults/MODE-kmem.dat, or MODE-stacks.dat for a console with stacks):
# - faults.sh passes on the console log: each fault reported at the pfn, order and moment the
#   module's own FAULT line in the ftrace_dump_on_oops dump names (the control: nothing on its
#   blocks);
# - per FAULT line the same kind, order and class, and the same exit status, as the trace.dat;
# - recording_end names the crash: the "Kernel panic - not syncing: pcr_fault: ..." or
#   "kernel BUG at ..." line of the log, taken here with awk, and the dump after it.
#
# Usage: faults-console.sh BINARY CONSOLE_DIR FAULTS_DIR
set -uo pipefail

bin=$1
cdir=$2
fdir=$3
here=$(dirname "$0")
command -v zstd >/dev/null || { echo "skipped: no zstd"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/testlib.sh"

# "KIND order=N class=C exit=E" per fault, as faults.sh prints it, without the name and pfn.
answer() {
	bash "$here/faults.sh" "$bin" "$1" >"$tmp/out" 2>&1
	check "faults.sh passes on $(basename "$1"): $(grep FAIL "$tmp/out" | head -3)" \
		'! grep -q "^FAIL" "$tmp/out"'
	sed -n 's/^[^ ]*: \(DOUBLE-[A-Z]*\) pfn=[^ ]* \(order=.*\)/\1 \2/p' "$tmp/out"
}

n=0
for log in "$cdir"/fault-*.log.zst; do
	[ -e "$log" ] || continue
	base=$(basename "$log" .log.zst)
	mode=${base#fault-}
	mode=${mode%%-*}
	kind=kmem
	case $base in *-stacks-*) kind=stacks ;; esac
	dat=$fdir/$mode-$kind.dat
	check "$base: the trace.dat of the same mode, $(basename "$dat"), exists" '[ -f "$dat" ]'
	answer "$log" >"$tmp/console.answer"
	answer "$dat" >"$tmp/dat.answer"
	check "$base: the same answer as $(basename "$dat"): $(paste -sd';' "$tmp/console.answer") vs $(paste -sd';' "$tmp/dat.answer")" \
		'cmp -s "$tmp/console.answer" "$tmp/dat.answer"'
	[ "$mode" = control ] || check "$base: a fault was reported" '[ -s "$tmp/console.answer" ]'

	crash=$(zstd -dc "$log" | tr -d '\r' | sed 's/^\[ *[0-9]*[.][0-9]*\] //' |
		grep -m1 -E '^(Kernel panic - not syncing: pcr_fault: |kernel BUG at .*pcr_fault[.]c)')
	want="ends at the crash: $crash; after the ftrace_dump_on_oops dump of the ring buffer"
	got=$("$bin" --stats --show-undecidable --examples=all "$log" 2>/dev/null | sed -n 's/^recording_end: //p')
	check "$base: recording_end '$got'" '[ -n "$crash" ] && [ "$got" = "$want" ]'
	n=$((n + 1))
done
check "console logs of module faults found in $cdir: $n" '[ "$n" -ge 3 ]'
finish "faults-console"
