#!/bin/bash
# host-verdicts.sh - the verdict on this host, the way users record: each workload of the
# reference-kernel runs (fork/exec, mlock churn, THP + compact_memory, page-cache churn, tmpfs
# churn) recorded by `pagecheck-replay record --stacks`, `pagecheck-replay record` and replayed
# live by `pagecheck-replay live --stacks`, REPS times each. Prints one line per run (exit
# status, the candidates by class, the reason of an inconclusive verdict) and a table of exit
# statuses.
#
# Usage: tests/kernel/rfc/host-verdicts.sh BUILD_DIR [REPS] [OUT]   as root
#   REPS defaults to 5, OUT to /var/tmp/pcr-verdicts (recordings and logs are kept there);
#   WORKLOADS="tmpfs-churn" runs fewer (default: all five).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: host-verdicts.sh BUILD_DIR [REPS] [OUT]}" && pwd)
reps=${2:-5}
out=${3:-/var/tmp/pcr-verdicts}
bin=$build/pagecheck-replay
mkdir -p "$out"
# The host's /tmp need not be tmpfs; /dev/shm is.
gcc -static -O2 -Wall -Wextra -Werror -DCHURN_PATH=\"/dev/shm/pcr-churn\" -o "$out/workload" \
	"$here/workload.c" -lpthread || exit 1
[ -s "$out/pagecache.img" ] || head -c 64M /dev/urandom > "$out/pagecache.img"

workload() {
	case $1 in
	forkexec)	echo "$out/workload forkexec 200" ;;
	thp-compact)	echo "$out/workload thp-compact 256" ;;
	mlock)		echo "$out/workload mlock 64" ;;
	pagecache)	echo "$out/workload pagecache $out/pagecache.img 64" ;;
	tmpfs-churn)	echo "$out/workload tmpfs-churn 32" ;;
	esac
}

# "violation explained undecidable" counts of a summary, both kinds together.
classes() {
	awk -F': ' '/^double_(alloc|free)_violation_events/ { v += $2 }
		/^double_(alloc|free)_explained_events/ { e += $2 }
		/^double_(alloc|free)_undecidable_events/ { u += $2 }
		END { printf "violation=%d explained=%d undecidable=%d", v, e, u }' "$1"
}

results=$out/results.tsv
: > "$results"
for rep in $(seq 1 "$reps"); do
	for w in ${WORKLOADS:-forkexec mlock thp-compact pagecache tmpfs-churn}; do
		for mode in record-stacks record live-stacks; do
			log=$out/$w.$mode.$rep
			# shellcheck disable=SC2046
			case $mode in
			record-stacks)
				"$bin" record --stacks -o "$log.dat" -- $(workload $w) > "$log.rec" 2>&1
				"$bin" --stats "$log.dat" > "$log.out" 2> "$log.err"; status=$? ;;
			record)
				"$bin" record -o "$log.dat" -- $(workload $w) > "$log.rec" 2>&1
				"$bin" --stats "$log.dat" > "$log.out" 2> "$log.err"; status=$? ;;
			live-stacks)
				"$bin" live --stats --stacks --duration=900 > "$log.out" 2> "$log.err" &
				live=$!
				sleep 2
				$(workload $w) > "$log.rec" 2>&1
				kill -INT $live
				wait $live; status=$? ;;
			esac
			# keep a recording whose verdict is not clean, to study it
			[ "$status" = 0 ] && rm -f "$log.dat"
			reason=$(grep -o 'are undecidable.*' "$log.err" | head -1 | cut -c1-160)
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$w" "$mode" "$rep" "$status" \
				"$(classes "$log.out")" "$reason" | tee -a "$results"
		done
	done
done
echo
echo "exit statuses per workload and recording kind ($reps runs each):"
awk -F'\t' '{ n[$1 "\t" $2 "\t" $4]++ } END { for (k in n) print k "\t" n[k] }' "$results" |
	sort | awk -F'\t' '{ printf "%-12s %-14s exit %s: %d\n", $1, $2, $3, $4 }'
