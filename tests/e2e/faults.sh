#!/bin/bash
# faults.sh - real allocator faults (testdata/faults, made by the pcr_fault kernel module): the
# replay must report each at the pfn, order and moment that the module itself wrote into the
# recording, read here with trace-cmd report, never with pagecheck-replay:
#   pcr_fault: FAULT mode=M kind=K pfn=0xP order=N     (written just before the faulty call)
#   pcr_fault: CONTROL mode=control pfn=0xP order=N    (a block allocated and freed correctly)
# - kind double_free / double_alloc: a DOUBLE-FREE (DOUBLE-ALLOC) candidate, of any class, for
#   the first mm_page_free (mm_page_alloc) of pfn P, order N after the FAULT line, at that
#   event's timestamp; with the stacks of the event and of the page's previous free (alloc)
#   when the recording has stacks; and an exit status that is not 0.
# - kind never_allocated: a free of kernel-image pages that no allocation in the recording
#   handed out. A replay of a recording that starts after boot cannot tell it from a page
#   allocated before the recording: it is not reported, and the check pins that. A recording
#   from boot (boot-*.dat) shows the page never handed out: a DOUBLE-FREE with no previous
#   event, after SYSTEM_RUNNING, in the window and the kernel model; a violation with stacks
#   and compaction's isolation events, undecidable for want of them with stacks alone.
# - control: no candidate overlaps any CONTROL block.
#
# Usage: faults.sh BINARY RECORDING     (a trace.dat, or a console log of a crash: .log[.zst])
set -uo pipefail

bin=$1
rec=$2
command -v trace-cmd >/dev/null || { echo "trace-cmd is not installed"; exit 77; }
command -v jq >/dev/null || { echo "jq is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/testlib.sh"
name=$(basename "$rec" .dat)

case $rec in
*.log | *.log.zst)
	# A console log of a crash (testdata/console/fault-*): the ftrace_dump_on_oops dump's
	# records in trace-cmd report's form, "COMM-PID CPUFLAGS S.NNNNNNNNN: EVENT: FIELDS".
	name=$(basename "${rec%.zst}" .log)
	zstd -dcf "$rec" | awk '{ sub(/\r$/, ""); sub(/^\[ *[0-9]+[.][0-9]+\] /, "") }
		match($0, / [0-9]+us[ !#$@*+]*: /) {
			printf "%s %.9f: %s\n", substr($0, 1, RSTART - 1),
				substr($0, RSTART + 1, RLENGTH - 1) / 1e6, substr($0, RSTART + RLENGTH)
		}' >"$tmp/report"
	;;
*)
	trace-cmd report -t "$rec" >"$tmp/report" 2>/dev/null
	;;
esac
"$bin" --format=json "$rec" >"$tmp/json" 2>"$tmp/err"
status=$?
check "$name: the JSON report parses" 'jq -e .violations "$tmp/json" >/dev/null'

# "KIND PFN ORDER" of each module line, in recording order.
grep -o 'pcr_fault: \(FAULT\|CONTROL\) .*' "$tmp/report" |
	sed -n 's/.* kind=\([a-z_]*\) pfn=\(0x[0-9a-f]*\) order=\([0-9]*\).*/\1 \2 \3/p;
		s/.*CONTROL mode=control pfn=\(0x[0-9a-f]*\) order=\([0-9]*\).*/control \1 \2/p' \
	>"$tmp/expected"
check "$name: the module wrote its lines into the recording" '[ -s "$tmp/expected" ]'

# Candidates as "KIND PFN ORDER TIMESTAMP CLASS", pfn in decimal.
jq -r '.violations[] | "\(.kind) \(.pfn) \(.order) \(.timestamp) \(.class)"' "$tmp/json" |
	while read -r kind pfn order ts cls; do
		echo "$kind $((pfn)) $order $ts $cls"
	done >"$tmp/candidates"

# The timestamp of the first EVENT of pfn PFN, order ORDER after the module's FAULT line of
# kind KIND for that block: first_event_after_fault KIND EVENT PFN ORDER.
first_event_after_fault() {
	awk -v fault="kind=$1 pfn=$3 order=$4" -v ev="$2:" -v pfn="pfn=$3" -v order="order=$4" '
	index($0, "pcr_fault: FAULT ") && index($0, fault) { armed = 1; next }
	armed {
		at = has_pfn = has_order = 0
		for (i = 2; i <= NF; i++) {
			if ($i == ev)
				at = i
			has_pfn += $i == pfn
			has_order += $i == order
		}
		if (at && has_pfn && has_order) {
			ts = $(at - 1)
			sub(/:$/, "", ts)
			print ts
			exit
		}
	}' "$tmp/report"
}

has_stacks=0
faults=0
grep -q ' kernel_stack: \|: <stack trace>$' "$tmp/report" && has_stacks=1
# From boot: the first record is the idle task's, in the first second of the trace clock
# (trace_event= on the kernel command line; testdata/faults/README.md).
from_boot=$(awk '$3 ~ /^[0-9]+[.][0-9]+:$/ { print ($1 ~ /-0$/ && $3 + 0 < 1); exit }' \
	"$tmp/report")

# The number of page events of the order-ORDER block at PFN before the module's FAULT line.
events_before_fault() {
	awk -v lo=$(($1)) -v hi=$(($1 + (1 << $2))) '
	index($0, "pcr_fault: FAULT ") { exit }
	/ mm_page_(alloc|free): / {
		p = o = -1
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^pfn=0x/)
				p = strtonum(substr($i, 5))
			if ($i ~ /^order=/)
				o = substr($i, 7) + 0
		}
		if (p >= 0 && p < hi && p + 2 ^ o > lo)
			n++
	}
	END { print n + 0 }' "$tmp/report"
}

while read -r kind pfn order; do
	case $kind in
	double_free | double_alloc)
		if [ "$kind" = double_free ]; then
			want=DOUBLE-FREE ev=mm_page_free prev=last_free
		else
			want=DOUBLE-ALLOC ev=mm_page_alloc prev=last_alloc
		fi
		ts=$(first_event_after_fault "$kind" "$ev" "$pfn" "$order")
		check "$name: the recording has the $ev of pfn $pfn order $order after FAULT" \
			'[ -n "$ts" ]'
		line=$(awk -v k="$want" -v p="$((pfn))" -v o="$order" -v t="$ts" \
			'$1 == k && $2 == p && $3 == o && $4 == t' "$tmp/candidates")
		check "$name: a $want candidate at pfn $pfn order $order at $ts" '[ -n "$line" ]'
		echo "$name: $want pfn=$pfn order=$order class=${line##* } exit=$status"
		faults=$((faults + 1))
		if [ "$has_stacks" = 1 ]; then
			sel=".violations[] | select(.kind == \"$want\" and .pfn == \"$pfn\" and
				.timestamp == \"$ts\")"
			check "$name: the $want has its own stack and the stack of its $prev" \
				'jq -e "$sel | (.stack | length > 0) and (.$prev.stack | length > 0)" \
					"$tmp/json" >/dev/null'
		fi
		;;
	never_allocated)
		ts=$(first_event_after_fault "$kind" mm_page_free "$pfn" "$order")
		check "$name: the recording has the mm_page_free of pfn $pfn order $order" \
			'[ -n "$ts" ]'
		line=$(awk -v p="$((pfn))" '$2 == p' "$tmp/candidates")
		echo "$name: never_allocated pfn=$pfn order=$order candidate='$line' exit=$status"
		if [ "$from_boot" = 0 ]; then
			check "$name: known gap: after boot a never-allocated page is not reported" \
				'[ -z "$line" ]'
			continue
		fi
		# From boot: no event of the block before the fault, so a DOUBLE-FREE with no
		# previous event, in both models; decided (a violation) when stacks were on.
		check "$name: no event of pfn $pfn..+$((1 << order)) before the fault" \
			"[ \"\$(events_before_fault $pfn $order)\" = 0 ]"
		line=$(awk -v p="$((pfn))" -v o="$order" -v t="$ts" \
			'$1 == "DOUBLE-FREE" && $2 == p && $3 == o && $4 == t' "$tmp/candidates")
		check "$name: a DOUBLE-FREE at pfn $pfn order $order at $ts" '[ -n "$line" ]'
		sel=".violations[] | select(.kind == \"DOUBLE-FREE\" and .pfn == \"$pfn\")"
		check "$name: its previous event: none in the recording" \
			'jq -e "$sel | .previous == null and .last_alloc == null" "$tmp/json" >/dev/null'
		"$bin" --model=kernel --format=json "$rec" 2>/dev/null |
			jq -e "$sel | .timestamp == \"$ts\"" >/dev/null
		check "$name: --model=kernel (the RFC after SYSTEM_RUNNING) reports it too" '[ $? = 0 ]'
		# Compaction may take a free page silently and its user free it later: only a
		# recording that shows the isolation events were on decides (README "Explained,
		# undecidable, violation"); an extract file shows it by holding some.
		if [ "$has_stacks" = 1 ] && grep -q ' mm_compaction_\(fast_\)\?isolate_freepages: ' \
			"$tmp/report"; then
			check "$name: with stacks and isolation events it is a violation: ${line##* }" \
				'[ "${line##* }" = violation ] && [ "$status" = 1 ]'
		elif [ "$has_stacks" = 1 ]; then
			check "$name: with stacks, no isolation events: undecidable for that" \
				'jq -e "$sel | .undecidable.why | test(\"compaction isolation\")" \
					"$tmp/json" >/dev/null'
		fi
		faults=$((faults + 1))
		;;
	control)
		lo=$((pfn)) hi=$((pfn + (1 << order)))
		line=$(awk -v lo="$lo" -v hi="$hi" '$2 < hi && $2 + 2 ^ $3 > lo' "$tmp/candidates")
		check "$name: no candidate overlaps the control block $pfn order $order: $line" \
			'[ -z "$line" ]'
		;;
	*)
		check "$name: unknown fault kind $kind in the recording" false
		;;
	esac
done <"$tmp/expected"
if [ "$faults" -gt 0 ]; then
	check "$name: a recording of a reported fault is not clean (exit status $status, not 0)" \
		'[ "$status" -ne 0 ]'
fi

finish "faults $name"
