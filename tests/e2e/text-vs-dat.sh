#!/usr/bin/env bash
# text-vs-dat.sh - the same recording as trace.dat and as text must replay to the same counters.
#
# Usage: text-vs-dat.sh TOOL FILE.dat [tool options...]
# For each of `trace-cmd report FILE`, `trace-cmd report -R FILE` and `trace-cmd report -t FILE`,
# replays the text (plain, compressed with zstd, and the zstd file on standard input) and compares
# its summary with the summary of FILE.dat itself. Exit 0 when all agree, 1 when not, 77 (skip)
# without FILE, trace-cmd or zstd.
#
# What text cannot carry, and so is left out of the comparison on purpose:
#  - lost_events, trailing_unrecorded_events, verdict, loss_check: trace.dat keeps the kernel's
#    per-CPU ring buffer counters, text only the "[N EVENTS DROPPED]" notices (s09 lost 68 events
#    with no notice); text must then count at most the .dat's lost_events;
#  - recording, format, kernel, kallsyms: they describe the file, not the replay;
#  - with -R, kernel_stack records print only their first 8 frames, as bytes, without names:
#    stacks_distinct, stack_depot_bytes, coverage, decides and the classification by stack
#    (signature, explained, undecidable, *_explained_events, ..., and so the exit status) are
#    not compared;
#  - the stack lines when the .dat has a kernel_stack format but no stack record (text has
#    nothing to tell that from a recording without stacks);
#  - without -t, the nanoseconds of boot_marker and running_from (compared in microseconds).
set -uo pipefail

me=${0##*/}
[ $# -ge 2 ] || { echo "usage: $me TOOL FILE.dat [options]" >&2; exit 1; }
tool=$1
dat=$2
shift 2
[ -e "$dat" ] || { echo "$me: skipped: $dat does not exist"; exit 77; }
for t in trace-cmd zstd; do
	command -v $t >/dev/null || { echo "$me: skipped: no $t"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/textvsdat.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0

always_out='^(why|checked|recording|format|kernel|kallsyms|loss_check|lost_events|trailing_unrecorded_events|verdict):'
raw_out='^(candidates|coverage|decides|stacks_distinct|stack_depot_bytes|signature|explained|undecidable|suppressed|double_(alloc|free)_(violation|explained|undecidable|suppressed)_events|invariant_(violation|explained|undecidable|suppressed)_events):'
stack_out='^(stack_records|stacks_distinct|stack_depot_bytes|events_with_stack|events_without_stack|stacks_unpaired):'

# Without -t, trace-cmd prints timestamps rounded to microseconds: the boot marker's and the
# boundary's times are compared at that precision then (round_us=1).
round_us=0
us() {
	awk -v on="$round_us" '
		on && /^(boot_marker|running_from): / {
			for (i = 2; i <= NF; i++)
				if ($i ~ /^[0-9]+\.[0-9]+$/) {
					split($i, p, ".")
					f = substr(p[2] "000000000", 1, 9)
					u = int((f + 500) / 1000)
					s = p[1] + int(u / 1000000)
					$i = sprintf("%d.%06d", s, u % 1000000)
				}
		}
		{ print }'
}

summary() {	# FILE EXTRA_FILTER
	grep -E '^[a-z_]+: ' "$1" | grep -Ev "$always_out" |
		{ if [ -n "$2" ]; then grep -Ev "$2"; else cat; fi; } | us
}
value() { sed -n "s/^$2: //p" "$1" | head -1; }

# The reference run through libtracecmd: under ASan its own small leaks (vsscanf in v6 files)
# would turn the exit status into LeakSanitizer's; the text runs keep leak detection.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$tool" --stats "$@" "$dat" >"$tmp/dat.out" \
	2>"$tmp/dat.err"
dat_rc=$?
if [ "$(value "$tmp/dat.out" stack_records)" = 0 ]; then
	no_stacks=$stack_out
else
	no_stacks=
fi

check() {	# LABEL TEXTFILE RC OUT FILTER
	local label=$1 rc=$3 out=$4 filter=$5 dl tl
	filter=${filter:+$filter}
	dl=$(value "$tmp/dat.out" lost_events)
	tl=$(value "$out" lost_events)
	if [ "$dat_rc" -eq 2 ] || [ "$rc" -eq 2 ]; then
		if [ "$rc" -ne "$dat_rc" ]; then
			echo "FAIL $label: exit $rc, the .dat gives $dat_rc: $(head -c 300 "$out.err")"
			fails=$((fails + 1))
		fi
		return
	fi
	if [ "${tl:-0}" -gt "${dl:-0}" ]; then
		echo "FAIL $label: lost_events $tl, more than the .dat's $dl"
		fails=$((fails + 1))
	fi
	# The exit status follows the verdict, so it is compared when the losses agree and the
	# stacks are whole (with -R a violation can turn undecidable for want of names).
	if [ "${tl:-0}" = "${dl:-0}" ] && [ -z "$filter" ] && [ "$rc" -ne "$dat_rc" ]; then
		echo "FAIL $label: exit $rc, the .dat gives $dat_rc"
		fails=$((fails + 1))
	fi
	local f1=$filter f2=$no_stacks combined
	combined=$(printf '%s\n%s\n' "$f1" "$f2" | grep -v '^$' | paste -sd'|')
	if ! diff <(summary "$tmp/dat.out" "$combined") <(summary "$out" "$combined") \
		>"$tmp/diff"; then
		echo "FAIL $label: summaries differ (< trace.dat, > text)"
		cat "$tmp/diff"
		fails=$((fails + 1))
	fi
}

n=0
for variant in plain R t; do
	case $variant in
	plain) opt= filter= round_us=1 ;;
	R) opt=-R filter=$raw_out round_us=1 ;;
	t) opt=-t filter= round_us=0 ;;
	esac
	txt=$tmp/$variant.txt
	if ! trace-cmd report $opt "$dat" >"$txt" 2>"$tmp/report.err"; then
		echo "FAIL trace-cmd report $opt $dat: $(head -c 300 "$tmp/report.err")"
		fails=$((fails + 1))
		continue
	fi
	"$tool" --stats "$@" "$txt" >"$txt.out" 2>"$txt.out.err"
	check "report $opt" "$txt" $? "$txt.out" "$filter"
	zstd -q -3 "$txt" -o "$txt.zst"
	"$tool" --stats "$@" "$txt.zst" >"$txt.zst.out" 2>"$txt.zst.out.err"
	check "report $opt | zstd" "$txt.zst" $? "$txt.zst.out" "$filter"
	"$tool" --stats --input-format=text "$@" - <"$txt.zst" >"$txt.stdin.out" 2>"$txt.stdin.out.err"
	check "report $opt | zstd | stdin" - $? "$txt.stdin.out" "$filter"
	n=$((n + 3))
done
if [ "$fails" -eq 0 ]; then
	echo "ok $dat ($n text replays agree; lost_events $(value "$tmp/dat.out" lost_events) in the .dat)"
	exit 0
fi
exit 1
