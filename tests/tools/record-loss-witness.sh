#!/bin/bash
# record-loss-witness.sh - where do the events go that a recording's kernel counters call lost?
# (issue 22). A second tracefs instance, the witness, records the same events for the whole
# run and is never read until the end; the recording under test is made meanwhile, then
# compared with it CPU by CPU:
#
#   counted   "entries" + "read events" of the CPU, as saved in the file (trace-cmd report --stat)
#   records   the CPU's records in the file
#   excess    counted - records: what the loss check reports as lost
#   missing   events the witness holds between the file's first and last event of the CPU that
#             the file lacks (multiset of pid, event and fields; the two instances may order
#             nested events differently)
#   read_at   "read events": how far the recorder had read when the counters were taken
#   pages     when excess > 0: the sub-buffers of the file (trace-cmd report --debug) that end
#             at read_at and together hold excess records, if there are such
#
# An excess with missing 0 whose pages are found is no loss: the file holds every event the
# kernel wrote; the kernel counted the sub-buffers read while it computed "entries" and then
# "read events" (two moments, no lock) twice. On this 6.18 host that was the only kind of excess
# seen (92-215 events, one or two sub-buffers, in about one run of ten to twenty of trace-cmd
# record 3.1.6 and of pagecheck-replay record before issue 22).
#
# Usage: record-loss-witness.sh [-n RUNS] [-b PAGECHECK_REPLAY] [-k] [-- WORKLOAD...]
#   -n RUNS   recordings to make (default 10)
#   -b BIN    record with "BIN record" instead of plain trace-cmd record (the options of
#             pagecheck-replay record: -q -d --no-filter -B NAME -b 16384, three kmem and three
#             sched_process events)
#   -k        keep the files of every run (default: only of the runs with an excess)
#   WORKLOAD  what runs while recording (default: gzip of 3 x 20 MB from /dev/zero, the issue's)
# Root, tracefs and trace-cmd needed. Files go to a new directory under ${TMPDIR:-/var/tmp},
# printed first. Exit 0 when no run had an excess with missing events (a real loss), 1 otherwise.
set -uo pipefail

runs=10 bin= keep=
while getopts "n:b:k" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	b) bin=$OPTARG ;;
	k) keep=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" != -- ] || shift
[ $# -gt 0 ] || set -- bash -c 'for i in 1 2 3; do head -c 20000000 /dev/zero | gzip -1 >/dev/null; done'

T=/sys/kernel/tracing
[ "$(stat -f -c %T "$T" 2>/dev/null)" = tracefs ] || { echo "tracefs is not mounted at $T" >&2; exit 2; }
command -v trace-cmd >/dev/null || { echo "trace-cmd is not installed" >&2; exit 2; }
events="kmem/mm_page_alloc kmem/mm_page_free kmem/mm_page_free_batched sched/sched_process_fork
	sched/sched_process_exec sched/sched_process_exit"
out=$(mktemp -d "${TMPDIR:-/var/tmp}/record-loss-witness.XXXXXX")
witness=pagecheck-replay-witness-$$
echo "files in $out"
cleanup() {
	[ ! -d "$T/instances/$witness" ] || rmdir "$T/instances/$witness"
}
trap cleanup EXIT

# One event per line: PID EVENT FIELDS, from trace text (tracefs "trace" or trace-cmd report).
normalize() {
	awk '{
		if (!match($0, /\[[0-9]+\]/)) next
		pre = substr($0, 1, RSTART - 1); rest = substr($0, RSTART + RLENGTH)
		n = split(pre, a, " "); pid = a[n]; sub(/.*-/, "", pid)
		if (!match(rest, /[0-9]+\.[0-9]+: /)) next
		rest = substr(rest, RSTART + RLENGTH)
		if (rest !~ /^(mm_page|sched_process)/) next
		gsub(/page=[0-9a-fx]+ /, "", rest); sub(/ \[[0-9]+:0x[0-9a-f]+:[0-9]+\]$/, "", rest)
		gsub(/ +/, " ", rest)
		print pid, rest
	}'
}

# Per CPU of the recording: the line of the --stat counters, the records, the sub-buffer sizes.
analyse() {
	local run=$1 dat=$2 cpu counted read_at records excess missing pages first last
	trace-cmd report --stat "$dat" >"$run.stat" 2>/dev/null
	trace-cmd report --debug -t "$dat" 2>/dev/null >"$run.debug"
	bad=0
	grep -q '^CPU: ' "$run.stat" || { echo "  trace-cmd cannot read it: $(tail -c 200 "$run.log")"; return 0; }
	for cpu in $(awk '/^CPU: / { print $2 }' "$run.stat"); do
		read -r counted read_at < <(awk -v c="$cpu" '/^CPU: / { in_cpu = ($2 == c) }
			in_cpu && /^entries: / { e = $2 } in_cpu && /^read events: / { r = $3 }
			END { print e + r, r }' "$run.stat")
		# The CPU's records, and the records of each of its sub-buffers, in file order.
		awk -v c="$cpu" '
			/\[SUBBUFFER START\]/ { if (match($0, /CPU:[0-9]+/)) cur = substr($0, RSTART + 4, RLENGTH - 4) + 0
				if (cur == c) { if (started) print n; n = 0; started = 1 } next }
			match($0, /\[[0-9]+\]/) { if (substr($0, RSTART + 1, RLENGTH - 2) + 0 == c) n++ }
			END { if (started) print n }' "$run.debug" >"$run.pages$cpu"
		grep "\[0*$cpu\]" "$run.debug" | grep -v SUBBUFFER | normalize >"$run.file$cpu"
		normalize <"$run.w$cpu" >"$run.wit$cpu"
		records=$(wc -l <"$run.file$cpu")
		excess=$((counted - records))
		# The witness's window: from the file's first event to its last (their first and last
		# matching lines, found by diff), as multisets.
		read -r first last < <(diff "$run.wit$cpu" "$run.file$cpu" | awk -v n="$(wc -l <"$run.wit$cpu")" '
			BEGIN { first = 1; last = n }
			/^[0-9]+(,[0-9]+)?d0$/ { split($1, r, /[,d]/); if (r[1] == 1) first = (r[2] ? r[2] : r[1]) + 1 }
			/^[0-9]+(,[0-9]+)?d[0-9]+$/ { split($1, r, /[,d]/); e = r[2] ~ /^[0-9]+$/ && index($1, ",") ? r[2] : r[1]
				if (e == n) last = r[1] - 1 }
			END { print first, last }')
		missing=$(comm -23 <(sed -n "${first},${last}p" "$run.wit$cpu" | sort) \
			<(sort "$run.file$cpu") | wc -l)
		pages=-
		if [ "$excess" -gt 0 ]; then
			pages=$(awk -v at="$read_at" -v want="$excess" '
				{ size[NR] = $1; end[NR] = (NR > 1 ? end[NR - 1] : 0) + $1 }
				END { for (i = 1; i <= NR; i++) if (end[i] == at) {
					sum = 0; list = ""
					for (j = i; j >= 1 && sum < want; j--) { sum += size[j]; list = j ":" size[j] " " list }
					if (sum == want) { print list; exit } }
					print "none" }' "$run.pages$cpu")
		fi
		echo "  cpu $cpu: counted $counted records $records excess $excess missing $missing read_at $read_at pages ${pages% }"
		[ "$missing" -eq 0 ] || bad=1
	done
	return $bad
}

status=0
for run in $(seq "$runs"); do
	r=$out/run$run
	mkdir "$T/instances/$witness"
	echo 65536 >"$T/instances/$witness/buffer_size_kb"
	for e in $events; do echo 1 >"$T/instances/$witness/events/$e/enable"; done
	if [ -n "$bin" ]; then
		"$bin" record -o "$r.dat" -- "$@" >"$r.log" 2>&1
	else
		trace-cmd record -q -d --no-filter -o "$r.dat" -B "pagecheck-replay-witnessed-$$" \
			-b 16384 -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched \
			-e sched:sched_process_fork -e sched:sched_process_exec -e sched:sched_process_exit \
			-- "$@" >"$r.log" 2>&1
		# trace-cmd 3.1 on a locked-down kernel exits 1 before it removes its instance.
		[ ! -d "$T/instances/pagecheck-replay-witnessed-$$" ] ||
			rmdir "$T/instances/pagecheck-replay-witnessed-$$"
	fi
	echo 0 >"$T/instances/$witness/tracing_on"
	for cpu in $(ls "$T/instances/$witness/per_cpu" | sed 's/cpu//'); do
		cat "$T/instances/$witness/per_cpu/cpu$cpu/trace" >"$r.w$cpu"
	done
	rmdir "$T/instances/$witness"
	echo "run $run:"
	if [ ! -s "$r.dat" ]; then
		echo "  no recording: $(tail -c 300 "$r.log")"
		continue
	fi
	analyse "$r" "$r.dat" | tee "$r.summary"
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
	if [ -z "$keep" ] && ! grep -q 'excess [1-9]' "$r.summary"; then
		rm -f "$r".*
	fi
done
exit $status
