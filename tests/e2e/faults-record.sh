#!/bin/bash
# faults-record.sh - the pcr_fault module's faults recorded as a user records them,
# 'pagecheck-replay record --stacks' in the guest (testdata/faults/MODE-prrecord.dat; README
# there): a recording that holds kernel stacks and compaction's isolation events decides every
# candidate, so a real fault is a violation (exit 1) and the control run is clean (exit 0).
# trace_printk writes to the top-level buffer, not to record's instance, so the expected answer
# comes from elsewhere: the module's own function in the violation's stack, and the pfn the
# kernel itself printed when it refused the page ("BUG: Bad page state ... pfn:X" in the guest's
# dmesg, MODE-prrecord.dmesg.txt), which must lie in a violating block.
#
# Usage: faults-record.sh BINARY FAULTS_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
bin=$1
dir=$2
command -v jq >/dev/null || { echo "skipped: no jq"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# violations MODE: "KIND PFN ORDER FRAME" of each violation
violations() {
	jq -r '.violations[] | select(.class == "violation") |
		"\(.kind) \(.first_affected_pfn) \(.order) \([.stack[] | select(test("^fault_"))] | join(","))"' \
		"$tmp/$1.json"
}

for mode in control double_free double_alloc wrong_order; do
	dat=$dir/$mode-prrecord.dat
	"$bin" --format=json "$dat" >"$tmp/$mode.json" 2>"$tmp/$mode.err"
	rc=$?
	check "$mode: the recording decides everything" \
		"jq -e '.summary.coverage == \"kernel stacks yes, compaction isolation events yes\"' '$tmp/$mode.json' >/dev/null"
	check "$mode: nothing undecidable" \
		"[ \"\$(jq '[.violations[] | select(.class == \"undecidable\")] | length' '$tmp/$mode.json')\" = 0 ]"
	violations "$mode" >"$tmp/$mode.v"
	if [ "$mode" = control ]; then
		check "control: clean, exit 0 (got $rc)" "[ $rc -eq 0 ] && [ ! -s '$tmp/$mode.v' ]"
		continue
	fi
	check "$mode: violations, exit 1 (got $rc)" "[ $rc -eq 1 ]"
	check "$mode: every violation is the module's (fault_$mode in its stack)" \
		"[ -s '$tmp/$mode.v' ] && ! awk '\$4 !~ /^fault_$mode\\+/' '$tmp/$mode.v' | grep -q ."
	bad=$(sed -n 's/.*BUG: Bad page state in process .* pfn:\([0-9a-f]*\).*/\1/p' \
		"$dir/$mode-prrecord.dmesg.txt" | head -1)
	if [ -n "$bad" ]; then
		check "$mode: the page the kernel refused (pfn 0x$bad) is in a violating block" \
			"awk -v bad=$((16#$bad)) '{ p = strtonum(\$2); if (bad >= p && bad < p + 2 ^ \$3) f = 1 } END { exit !f }' '$tmp/$mode.v'"
	fi
done
check "double_alloc: the page handed out twice is a DOUBLE-ALLOC, after the DOUBLE-FREE that made it" \
	"[ \"\$(cut -d' ' -f1 '$tmp/double_alloc.v' | paste -sd,)\" = DOUBLE-FREE,DOUBLE-ALLOC ]"
finish faults-record
