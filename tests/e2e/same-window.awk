# SPDX-License-Identifier: GPL-2.0
#
# same-window.awk - cut a `trace-cmd report -t` text to the window of a perf recording of the
# same workload, and remove what perf cannot have recorded.
#
# Usage: awk -v statfile=FILE [-v drop_idle=1] [-v tol=NS] -f same-window.awk PERF_SCRIPT TEXT
#
#   PERF_SCRIPT is `perf script --ns -F pid,cpu,time` of the perf.data; both recordings must use
#   the same clock (trace-cmd record -C perf). Lines of the text that are not events (the
#   "cpus=N" header) are kept; an event line of CPU N is kept when its timestamp lies within
#   [first - tol, last + tol] of perf's samples on CPU N (perf enables and disables its event
#   CPU by CPU), tol 100000 ns by default: perf stamps an event about 0.6 us after ftrace does
#   (its probe runs second), up to 49 us after when an interrupt comes in between (measured
#   over 1.9 M events matched one to one).
#
#   drop_idle=1 also removes the events of the idle task (pid 0) on every CPU that has perf
#   samples but not one of pid 0: the events that perf drops there without a LOST record.
#
#   statfile receives "key value" lines: perf_samples, perf_first, perf_last, window_events,
#   idle_dropped (events removed by drop_idle), idle_cpu_N (idle events of the window on CPU N),
#   perf_idle_cpu_N (perf samples of pid 0 on CPU N), lossy_cpus (CPUs with perf samples and no
#   idle sample, space-separated, "-" for none).

# Nanoseconds from "SSSS.NNNNNNNNN" (either tool's timestamp, with or without a trailing ':').
function ns(s,    a) {
	sub(/:$/, "", s)
	split(s, a, ".")
	return a[1] * 1000000000 + substr(a[2] "000000000", 1, 9)
}

BEGIN {
	if (tol == "")
		tol = 100000
}

FNR == NR {
	# perf script: PID [CPU] TIME:
	if ($2 !~ /^\[[0-9]+\]$/)
		next
	cpu = substr($2, 2, length($2) - 2) + 0
	t = ns($3)
	if (!nperf || t < first)
		first = t
	if (!nperf || t > last)
		last = t
	if (!(cpu in sampled) || t < cfirst[cpu])
		cfirst[cpu] = t
	if (!(cpu in sampled) || t > clast[cpu])
		clast[cpu] = t
	nperf++
	sampled[cpu] = 1
	if ($1 == 0)
		perf_idle[cpu]++
	next
}

{
	# trace-cmd report -t: [INSTANCE:] COMM-PID [CPU] TIME: EVENT: ...
	c = 0
	for (i = 1; i < NF; i++)
		if ($i ~ /^\[[0-9]+\]$/ && $(i + 1) ~ /^[0-9]+\.[0-9]+:$/) {
			c = i
			break
		}
	if (!c) {
		print
		next
	}
	t = ns($(c + 1))
	cpu = substr($c, 2, length($c) - 2) + 0
	if (!(cpu in sampled) || t < cfirst[cpu] - tol || t > clast[cpu] + tol)
		next
	pid = $(c - 1)
	sub(/.*-/, "", pid)
	inwin++
	if (pid == 0) {
		idle[cpu]++
		if (drop_idle && sampled[cpu] && !perf_idle[cpu]) {
			dropped++
			next
		}
	}
	print
}

END {
	lossy = ""
	for (cpu in sampled)
		if (!perf_idle[cpu])
			lossy = lossy (lossy == "" ? "" : " ") cpu
	printf "perf_samples %d\nperf_first %d\nperf_last %d\nwindow_events %d\nidle_dropped %d\n",
		nperf, first, last, inwin, dropped > statfile
	for (cpu in idle)
		printf "idle_cpu_%d %d\n", cpu, idle[cpu] > statfile
	for (cpu in perf_idle)
		printf "perf_idle_cpu_%d %d\n", cpu, perf_idle[cpu] > statfile
	printf "lossy_cpus %s\n", lossy == "" ? "-" : lossy > statfile
}
