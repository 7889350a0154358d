#!/bin/bash
# pgd-mmdrop.sh - double allocs of page directories are judged by the recording's process
# events (lib/classify.c, lib/tasks.c), checked against pgd-owner.awk over trace-cmd report.
#
# Usage: pgd-mmdrop.sh BINARY RECORDING
#
# RECORDING (testdata/t13) holds page directories allocated again with no mm_page_free between,
# each after its task exited or exec'd. The default replay must be clean and explain each one
# exactly as the awk finds it (same pfns, tasks and times). Replayed as text: without the
# sched_process_* lines each becomes undecidable and names the events to record; without the
# owners' exits and execs each becomes a violation (exit 1).
set -uo pipefail
here=$(dirname "$0")
# shellcheck source=testlib.sh
. "$here/testlib.sh"

bin=$1
rec=$2
[ -f "$rec" ] || { echo "no recording $rec"; exit 77; }
command -v trace-cmd >/dev/null || { echo "no trace-cmd"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

trace-cmd report -t -i "$rec" >"$tmp/report.txt" 2>/dev/null
awk -f "$here/pgd-owner.awk" "$tmp/report.txt" >"$tmp/awk.txt"
n=$(grep -c " explained " "$tmp/awk.txt")
check "the recording holds explained page directories (awk: $n)" "[ '$n' -ge 1 ]"
check "every double alloc of the recording is one (awk)" \
	"[ \$(wc -l <'$tmp/awk.txt') -eq '$n' ]"

"$bin" --stats --show-explained "$rec" >"$tmp/replay.txt" 2>&1
status=$?
check "default replay is clean (exit $status)" "[ $status -eq 0 ]"
check "double_alloc_explained_events is $n" \
	"grep -qx 'double_alloc_explained_events: $n' '$tmp/replay.txt'"
check "no double alloc is a violation" \
	"grep -qx 'double_alloc_violation_events: 0' '$tmp/replay.txt'"
# "DOUBLE-ALLOC at TS ..." and its class line "... task OWNER exited at END" as the awk's lines.
awk '/^DOUBLE-ALLOC at/ { ts = $3 }
     /^  affected:/ { pfn = $NF; sub(/.*=/, "", pfn) }
     /^  class: explained: pgd-last-mmdrop/ {
	n = split($0, w, " ")
	print pfn, ts, "explained", w[n - 3], w[n - 2], w[n] }' "$tmp/replay.txt" >"$tmp/ours.txt"
check "the same pfns, owners and ends as the awk" "cmp -s '$tmp/awk.txt' '$tmp/ours.txt'"
cmp -s "$tmp/awk.txt" "$tmp/ours.txt" || diff "$tmp/awk.txt" "$tmp/ours.txt" | head -6

# The same events as text, without any process event: nothing can tell.
grep -v 'sched_process_' "$tmp/report.txt" >"$tmp/no-sched.txt"
"$bin" --stats --input-format=text "$tmp/no-sched.txt" >"$tmp/no-sched.out" 2>&1
status=$?
check "without process events: inconclusive, exit 3 ($status)" "[ $status -eq 3 ]"
check "without process events: $n undecidable" \
	"grep -qx 'double_alloc_undecidable_events: $n' '$tmp/no-sched.out'"
check "without process events: the remedy names sched:sched_process_exit" \
	"grep -q 'record with .*sched:sched_process_exit' '$tmp/no-sched.out'"

# Without the owners' exits and execs, the page directories' address spaces live on.
owners=$(awk '{ printf "%s%s", sep, $4; sep = "|" }' "$tmp/awk.txt")
grep -Ev "sched_process_(exit|exec): .* pid=($owners) " "$tmp/report.txt" >"$tmp/alive.txt"
"$bin" --stats --input-format=text "$tmp/alive.txt" >"$tmp/alive.out" 2>&1
status=$?
check "owners alive: exit 1 ($status)" "[ $status -eq 1 ]"
check "owners alive: $n violations" \
	"grep -qx 'double_alloc_violation_events: $n' '$tmp/alive.out'"
check "owners alive: the class says the address space lives on" \
	"grep -q 'class: violation: a page directory whose address space lives on' '$tmp/alive.out'"
finish "pgd-mmdrop $(basename "$rec")"
