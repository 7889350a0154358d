#!/bin/bash
# verdict-table.sh - what the replay decides on the ground-truth fixtures (testdata/rfc), one row
# per workload and recording kind: the exit status and the double allocs and frees by class. The
# RFC checker ran in the recorded kernel and counted no violation, so any "violation" here is a
# false one. The .checker and .extras recordings hold the checker's calls: they are replayed
# from their kmem events (--replay=kmem), as a kernel without the checker would be recorded.
#
# Usage: tests/kernel/rfc/verdict-table.sh BINARY [TESTDATA_RFC_DIR]   prints a Markdown table
set -uo pipefail
bin=$1
dir=${2:-$(dirname "$0")/../../../testdata/rfc}
echo "| recording kind | workload | exit | violation | explained (by path) | undecidable |"
echo "| --- | --- | ---: | ---: | --- | ---: |"
for kind in kmem stacks checker extras; do
	for f in "$dir"/*."$kind".dat; do
		[ -f "$f" ] || continue
		w=$(basename "$f" ".$kind.dat")
		out=$("$bin" --stats --replay=kmem "$f" 2>/dev/null)
		status=$?
		label=$kind
		case $kind in
		kmem) label="kmem + process events" ;;
		stacks) label="\`-T\` + process events" ;;
		checker) label="\`-T\` + process events (checker file, \`--replay=kmem\`)" ;;
		extras) label="\`record --stacks\`'s events (+ compaction isolations)" ;;
		esac
		awk -F': ' -v label="$label" -v w="$w" -v st="$status" '
			/^double_(alloc|free)_violation_events/ { v += $2 }
			/^double_(alloc|free)_undecidable_events/ { u += $2 }
			/^explained: / { split($2, a, " "); e[a[3]] += a[2]; te += a[2] }
			END {
				ex = te + 0
				sep = " ("
				for (p in e) { ex = ex sep p " " e[p]; sep = ", " }
				if (te) ex = ex ")"
				printf "| %s | %s | %d | %d | %s | %d |\n", label, w, st, v, ex, u
			}' <<<"$out"
	done
done
