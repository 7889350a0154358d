#!/bin/bash
# rfc-verdicts.sh - the verdict on the ground-truth fixtures (testdata/rfc), whose kernel ran the
# RFC's checker and counted no violation (every W.*.stats-after says violations_detected: 0, read
# here, not from the tool): the replay of every recording kind reports no violation, is clean
# exactly when it leaves nothing undecidable and inconclusive (exit 3) otherwise, and the README's
# table of those numbers is what tests/kernel/rfc/verdict-table.sh prints today.
#
# Usage: rfc-verdicts.sh BINARY TESTDATA_RFC_DIR README
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
bin=$1
dir=$2
readme=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$dir"/*.extras.stats-after "$dir"/*.kmem.stats-after "$dir"/*.stacks.stats-after; do
	check "$(basename "$f"): the kernel counted no violation" \
		"grep -qx 'violations_detected: 0' '$f'"
done
"$here/../kernel/rfc/verdict-table.sh" "$bin" "$dir" >"$tmp/table"
rows=$(grep -c '^| [^-r]' "$tmp/table")
check "a row for each of the 28 recordings ($rows)" "[ $rows -eq 28 ]"
while IFS='|' read -r _ kind w st viol _ undec _; do
	label="$(echo $kind) $(echo $w)"
	st=$((st)) viol=$((viol)) undec=$((undec))
	check "$label: no violation ($viol)" "[ $viol -eq 0 ]"
	if [ "$undec" -gt 0 ]; then
		check "$label: $undec undecidable, so inconclusive (exit $st)" "[ $st -eq 3 ]"
	else
		check "$label: all decided, so clean (exit $st)" "[ $st -eq 0 ]"
	fi
done < <(grep '^| [^-r]' "$tmp/table")
check "the README's table is today's" \
	"while IFS= read -r line; do grep -qxF \"\$line\" '$readme' || exit 1; done <'$tmp/table'"
finish rfc-verdicts
