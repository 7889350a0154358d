#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# record-same-workload.sh - record one workload at once with trace-cmd and with perf
#
# Usage: record-same-workload.sh [--cpu0] PREFIX
#
#   Writes PREFIX.dat (trace-cmd), PREFIX.perf.data (perf) and PREFIX.txt.zst
#   (`trace-cmd report -t PREFIX.dat`, zstd-compressed). Run as root, with trace-cmd, perf,
#   taskset and zstd. Files of the same name are replaced.
#
#   Without --cpu0 both tools record every CPU (`perf record -a`); the workload runs on each CPU
#   in turn and then lets the CPUs idle, so that RCU callbacks free pages in the idle task's
#   softirqs. With --cpu0 both record CPU 0 only (`perf record -C 0`, `trace-cmd record -M 1`)
#   and the workload runs on CPU 0 only.
#
# Both tools stamp events with the same clock: trace-cmd is given `-C perf` (ftrace's perf
# clock is perf's own clock), so that the test can cut the trace-cmd text to perf's window by
# timestamp. trace-cmd records into an instance of its own (`-B`), starts first and stops
# last, so its window contains perf's. `-d --no-filter` keeps trace-cmd away from the function
# tracer, which a locked-down kernel refuses; trace-cmd then exits 1 after writing a complete
# file ("opening to .../set_ftrace_filter"), which is accepted only with that message.
#
# The set is made again (up to TRIES times, default 30) until it shows what it is for, checked
# from the files with tests/e2e/same-window.awk: without --cpu0, trace-cmd holds page events of
# the idle task (pid 0) in perf's window on a CPU where perf holds none (the loss that
# perfdata.c's idle check detects); with --cpu0, perf holds as many idle-task events as
# trace-cmd. Idle-task events need idle CPUs: on a loaded machine, tries fail.
#
# Environment: PERF_MMAP_PAGES (perf record -m, default 1024: with perf's default buffer, perf
# drops samples and says so with LOST_SAMPLES records; a larger buffer is itself thousands of
# page allocations in trace-cmd's window), BUFFER_KB (trace-cmd -b, default 16384), MAX_BYTES
# (largest file accepted, default 2000000). A recording whose perf.data holds LOST or
# LOST_SAMPLES records is refused: that loss is not the one this set is made to show.
set -euo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "$me: $*" >&2; exit 2; }

cpu0=false
if [ "${1-}" = --cpu0 ]; then
	cpu0=true
	shift
fi
[ $# -eq 1 ] || die "usage: $me [--cpu0] PREFIX"
prefix=$1
for t in trace-cmd perf taskset zstd; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed"
done
[ "$(id -u)" = 0 ] || die "run as root (tracefs and system-wide perf need it)"

# Only the workload's tasks and the idle task (pid 0): other sessions on a shared machine can
# add hundreds of thousands of events a second. Both tools get the same kernel event filter.
filter='common_pid == 0 || comm == "wl.sh" || comm == "sh" || comm == "seq" || comm == "taskset" || comm == "sleep"'
tc_ev=()
perf_ev=()
for e in kmem:mm_page_alloc kmem:mm_page_free kmem:mm_page_free_batched; do
	tc_ev+=(-e "$e" -f "$filter")
	perf_ev+=(-e "$e" --filter "$filter")
done
instance=pcr-same-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/pcr-same.XXXXXX")
tc_pid=
cleanup() {
	[ -z "$tc_pid" ] || kill -INT "$tc_pid" 2>/dev/null || true
	rmdir "/sys/kernel/tracing/instances/$instance" 2>/dev/null || true
	[ -n "${KEEP-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# The workload: short-lived processes (page tables and stacks are freed through RCU after they
# exit), pinned to one CPU at a time, then a pause in which the CPUs go idle.
cat >"$work/wl.sh" <<'EOF'
#!/bin/sh
for cpu in $CPUS; do
	taskset -c "$cpu" sh -c 'i=0; while [ $i -lt 6 ]; do sh -c "seq 1 400 >/dev/null"; i=$((i + 1)); done'
done
sleep 1
EOF
chmod +x "$work/wl.sh"
if $cpu0; then
	cpus=0
	perf_target=(-C 0)
	tc_target=(-M 1)
else
	cpus="0 1"
	perf_target=(-a)
	tc_target=()
fi

record_once() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 0.5
	trace-cmd record -q -d --no-filter -B "$instance" -C perf -b "${BUFFER_KB:-16384}" \
		"${tc_target[@]}" -o "$work/t.dat" "${tc_ev[@]}" >"$work/tc.log" 2>&1 &
	tc_pid=$!
	sleep 1
	CPUS=$cpus perf record -q "${perf_target[@]}" -m "${PERF_MMAP_PAGES:-1024}" "${perf_ev[@]}" \
		-o "$work/p.data" -- "$work/wl.sh" 2>"$work/perf.log" ||
		die "perf record failed: $(cat "$work/perf.log")"
	sleep 0.5
	kill -INT "$tc_pid"
	rc=0
	wait "$tc_pid" || rc=$?
	tc_pid=
	rmdir "/sys/kernel/tracing/instances/$instance" 2>/dev/null || true
	if [ "$rc" != 0 ] && ! { [ "$rc" = 1 ] && grep -q "set_ftrace_filter" "$work/tc.log"; }; then
		die "trace-cmd record exited $rc: $(cat "$work/tc.log")"
	fi
	if perf report -D -i "$work/p.data" 2>/dev/null | grep -q "PERF_RECORD_LOST"; then
		die "perf lost samples (LOST records): record again with a larger PERF_MMAP_PAGES"
	fi
	trace-cmd report -t "$work/t.dat" >"$work/t.txt" 2>"$work/report.err" ||
		die "trace-cmd report failed: $(cat "$work/report.err")"
}

# Whether the set shows what it is made for, from the files alone (same-window.awk): with
# --cpu0, perf holds idle-task samples and as many as trace-cmd in perf's window; otherwise
# trace-cmd holds idle-task events in perf's window on a CPU where perf holds none.
shows_it() {
	local stats=$work/stats key val cpu
	perf script -i "$work/p.data" --ns -F pid,cpu,time >"$work/p.txt" 2>/dev/null || return 1
	awk -v statfile="$stats" -f "$here/../tests/e2e/same-window.awk" "$work/p.txt" \
		"$work/t.txt" >/dev/null || return 1
	declare -A st=()
	while read -r key val; do st[$key]=$val; done <"$stats"
	echo "$me: perf window: ${st[window_events]} trace-cmd events, ${st[perf_samples]} perf samples; idle events per CPU (trace-cmd/perf): $(for cpu in 0 1; do printf '%s/%s ' "${st[idle_cpu_$cpu]:-0}" "${st[perf_idle_cpu_$cpu]:-0}"; done)"
	if $cpu0; then
		[ "${st[perf_idle_cpu_0]:-0}" -gt 0 ] &&
			[ "${st[idle_cpu_0]:-0}" = "${st[perf_idle_cpu_0]}" ]
		return
	fi
	for cpu in ${st[lossy_cpus]}; do
		[ "$cpu" = - ] || [ "${st[idle_cpu_$cpu]:-0}" -eq 0 ] || return 0
	done
	return 1
}

tries=${TRIES:-30}
for ((try = 1; ; try++)); do
	record_once
	shows_it && break
	[ "$try" -lt "$tries" ] ||
		die "no recording in $tries tries showed it (idle CPUs are needed: run on a quieter machine)"
	echo "$me: try $try: not what the set needs, recording again" >&2
	sleep 2
done
zstd -q -19 -f "$work/t.txt" -o "$work/t.txt.zst"

for f in t.dat p.data t.txt.zst; do
	size=$(stat -c %s "$work/$f")
	[ "$size" -le "${MAX_BYTES:-2000000}" ] ||
		die "$f is $size bytes, more than ${MAX_BYTES:-2000000}: record again on a quieter machine"
done
mv -f "$work/t.dat" "$prefix.dat"
mv -f "$work/p.data" "$prefix.perf.data"
mv -f "$work/t.txt.zst" "$prefix.txt.zst"
ls -l "$prefix.dat" "$prefix.perf.data" "$prefix.txt.zst"
