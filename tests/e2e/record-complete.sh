#!/bin/bash
# record-complete.sh - 'pagecheck-replay record' of busy workloads (gzip of 20 MB from
# /dev/zero, a fork/exec loop, a page-cache churn through a file) is complete, and the kernel's
# per-CPU counters saved in the file say so exactly: on every CPU "entries" (events left in the
# buffer when the counters were read) is 0 and "read events" equals the records of that CPU in
# the file. record exits 0 and the replay finds nothing lost. 'live' during the gzip workload
# loses nothing either (it reads the counters itself, after its last read).
#
# Before issue 22, trace-cmd read those counters while its recorders were still emptying the
# buffer: "entries" was then not 0, and a sub-buffer read between the kernel's computing of
# "entries" and of "read events" was counted in both, which showed as 92-215 events lost in
# about one run of ten to twenty here (README, "Recording completely";
# tests/tools/record-loss-witness.sh finds where).
#
# Usage: record-complete.sh BINARY [RUNS]   (RUNS of each workload, default 2)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/tracing-lib.sh"
bin=$1
runs=${2:-2}
need_tracing

tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/record-complete.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The workloads, short versions of the issue's: each writes tens of thousands of page events.
gzip_load="for i in 1 2; do head -c 20000000 /dev/zero | gzip -1 >/dev/null; done"
fork_load="for i in \$(seq 200); do /bin/true; done"
cache_load="for i in 1 2; do dd if=/dev/zero of=$tmp/churn bs=1M count=32 status=none; cat $tmp/churn >/dev/null; rm $tmp/churn; done"

# check NAME WORKLOAD: one recording of WORKLOAD, and its counters against its records.
check() {
	local name=$1 load=$2 rc replay_rc cpu stat_entries stat_read records
	"$bin" record -o "$tmp/r.dat" -- bash -c "$load" 2>"$tmp/err" &
	local pid=$!
	wait "$pid"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q '^libtracecmd: ' "$tmp/err"; then
		# libtracecmd's saved_cmdlines race (record-replay.sh): not this test's subject.
		echo "note: $name: trace-cmd failed to write the file; skipped"
		return
	fi
	[ "$rc" -eq 0 ] || { sed 's/^/  record: /' "$tmp/err"; fail "$name: record exited with $rc"; }
	[ -s "$tmp/r.dat" ] || { fail "$name: no file"; return; }
	trace-cmd report --stat "$tmp/r.dat" >"$tmp/stat" 2>/dev/null
	trace-cmd report -t "$tmp/r.dat" 2>/dev/null |
		awk 'match($0, /\[[0-9]+\]/) { n[substr($0, RSTART + 1, RLENGTH - 2) + 0]++ }
		     END { for (c in n) print c, n[c] }' >"$tmp/records"
	for cpu in $(awk '/^CPU: / { print $2 }' "$tmp/stat"); do
		stat_entries=$(awk -v c="$cpu" '/^CPU: / { in_cpu = ($2 == c) }
			in_cpu && /^entries: / { print $2 }' "$tmp/stat")
		stat_read=$(awk -v c="$cpu" '/^CPU: / { in_cpu = ($2 == c) }
			in_cpu && /^read events: / { print $3 }' "$tmp/stat")
		records=$(awk -v c="$cpu" '$1 == c { print $2 }' "$tmp/records")
		records=${records:-0}
		[ "$stat_entries" = 0 ] ||
			fail "$name: CPU $cpu: entries $stat_entries when the counters were read, expected 0"
		[ "$stat_read" = "$records" ] ||
			fail "$name: CPU $cpu: read events $stat_read, records in the file $records"
		echo "$name: CPU $cpu: entries $stat_entries, read events $stat_read, records $records"
	done
	# Completeness is the question here: candidates without stacks are accepted undecided.
	"$bin" --stats -q --allow-undecidable "$tmp/r.dat" >/dev/null 2>"$tmp/replay.err"
	replay_rc=$?
	[ "$replay_rc" -eq 0 ] || [ "$replay_rc" -eq 1 ] ||
		fail "$name: the replay exited with $replay_rc: $(head -c 300 "$tmp/replay.err")"
	! grep -q 'lost' "$tmp/replay.err" || fail "$name: the replay says: $(grep lost "$tmp/replay.err")"
	local left
	left=$(left_behind "pagecheck-replay-$pid")
	[ -z "$left" ] || fail "$name: left behind: $left"
	rm -f "$tmp/r.dat"
}

# check_live NAME: live around one run of the gzip workload. The workload starts once live says
# it is tracing and live is stopped (SIGINT) once it ends, so the whole workload is in the window
# however long live takes to start (a fixed head start was too short on a slow machine).
check_live() {
	local name=$1 rc lp
	rm -f "$tmp/live.out" "$tmp/live.err"
	"$bin" live --stats -q --allow-undecidable >"$tmp/live.out" 2>"$tmp/live.err" &
	lp=$!
	if ! wait_for 120 grep -q "tracing in instance" "$tmp/live.err" 2>/dev/null; then
		fail "$name: live did not start tracing"
		sed 's/^/  live: /' "$tmp/live.err"
		kill -TERM "$lp"
		wait "$lp"
		return
	fi
	bash -c "$gzip_load"
	kill -INT "$lp"
	wait "$lp"
	rc=$?
	grep -qx 'loss_check: kernel counters compared' "$tmp/live.out" ||
		fail "$name: $(grep '^loss_check:' "$tmp/live.out")"
	grep -qx 'lost_events: 0' "$tmp/live.out" || fail "$name: $(grep '^lost_events:' "$tmp/live.out")"
	grep -qx 'lost_notices_unknown_count: 0' "$tmp/live.out" ||
		fail "$name: $(grep '^lost_notices_unknown_count:' "$tmp/live.out")"
	case $rc in
	0 | 1) ;;
	3)
		# Inconclusive with nothing lost: not this test's subject, but said (the reason).
		echo "note: $name: inconclusive: $(grep -h -E '^(why: |pagecheck-replay: )' \
			"$tmp/live.out" "$tmp/live.err" | grep -v '^pagecheck-replay: warning' |
			head -c 600)"
		;;
	*) fail "$name: live exited with $rc: $(grep -v '^pagecheck-replay live: ' "$tmp/live.err" |
		head -c 600)" ;;
	esac
	echo "$name: exit $rc, $(grep -E '^(events_mm_page_alloc|lost_events|lost_notices_unknown_count):' \
		"$tmp/live.out" | tr '\n' ' ')"
}

for run in $(seq "$runs"); do
	check "gzip $run" "$gzip_load"
	check "fork/exec $run" "$fork_load"
	check "page cache $run" "$cache_load"
	check_live "live $run"
done

if [ "$fails" -ne 0 ]; then
	echo "record-complete: $fails failure(s)"
	exit 1
fi
echo "record-complete: ok"
