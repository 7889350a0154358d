#!/bin/bash
# tracing-lib.sh - what the tests of 'live' and 'record' share; sourced, not run.
#
# need_tracing: exit 77 (CTest skip) with the reason unless this runs as root on a machine with
# tracefs, the kmem page events and trace-cmd. Sets TRACEFS.
# left_behind NAME: what is left of a tracing run that used instance NAME (the instance, trace-cmd
# processes recording into it), or nothing. Only NAME is looked at: other tests and other users
# of the machine may trace at the same time.
# churn SECONDS: page churn for about that long: 32 MiB written to /dev/shm, over and over.
# wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds; 1 on timeout.
# fail MESSAGE: print a FAIL line and count it in $fails (0 when this file is sourced).

fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

need_tracing() {
	local m
	if [ "$(id -u)" -ne 0 ]; then
		echo "skipped: needs root (tracefs instances)"
		exit 77
	fi
	TRACEFS=
	for m in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		if [ "$(stat -f -c %T "$m" 2>/dev/null)" = tracefs ]; then
			TRACEFS=$m
			break
		fi
	done
	if [ -z "$TRACEFS" ]; then
		echo "skipped: tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)"
		exit 77
	fi
	if [ ! -r "$TRACEFS/events/kmem/mm_page_alloc/format" ]; then
		echo "skipped: no kmem:mm_page_alloc event in $TRACEFS"
		exit 77
	fi
	if ! command -v trace-cmd >/dev/null; then
		echo "skipped: trace-cmd is not installed"
		exit 77
	fi
}

left_behind() {
	local pids
	[ ! -e "$TRACEFS/instances/$1" ] || echo "instance $1"
	pids=$(pgrep -f -- "trace-cmd record .*-B $1( |\$)" | tr '\n' ' ')
	[ -z "$pids" ] || echo "trace-cmd $pids"
}

churn() {
	local end f
	end=$(($(date +%s%N) + $1 * 1000000000))
	f=$(mktemp /dev/shm/pcr-e2e-churn.XXXXXX)
	while [ "$(date +%s%N)" -lt "$end" ]; do
		# dd truncates the file first: 32 MiB freed, then 32 MiB allocated again.
		dd if=/dev/zero of="$f" bs=1M count=32 status=none
	done
	rm -f "$f"
}

wait_for() {
	local tries=$(($1 * 10))
	shift
	while ! "$@"; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.1
	done
}
