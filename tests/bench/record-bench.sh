#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# record-bench.sh [DIR]: record the benchmark recordings of README "Speed" on this machine.
#
# Two recordings of kmem:mm_page_alloc, mm_page_free and mm_page_free_batched, made while a
# tmpfs file is written and removed in a loop (every 4 KiB page of it is allocated, then freed
# in batches): medium (about 2.5 M events) and large (about 20 M events). Each is written as
# trace-cmd 3.x writes by default (v7, zstd) and converted to v6 without compression:
#
#   DIR/medium.v7.dat DIR/medium.v6.dat DIR/large.v7.dat DIR/large.v6.dat
#
# DIR defaults to /var/tmp/pcr-bench: outside the repository, never committed (the large v6
# file is about 600 MB). Needs root, trace-cmd, and a few GB of free memory for the tmpfs file.
#
# The loop stops once the kernel has written the wanted number of events (the per-CPU ring
# buffer counters: events read plus events still held), so the sizes do not depend on how many
# events a kernel writes per page (from 3 to 6 per page on the 6.18 kernels measured).
# MEDIUM_EVENTS and LARGE_EVENTS (environment) override the targets (2500000 and 20000000);
# the benchmark reads the real counts from each file.
set -eu

dir=${1:-/var/tmp/pcr-bench}
medium_events=${MEDIUM_EVENTS:-2500000}
large_events=${LARGE_EVENTS:-20000000}
tracefs=/sys/kernel/tracing

# Events the kernel has written to the top instance since trace-cmd reset it.
written() {
	cat "$tracefs"/per_cpu/cpu*/stats |
		awk '/^entries:/ || /^read events:/ { n += $NF } END { print n + 0 }'
}

# The workload, run by trace-cmd as "record-bench.sh --churn EVENTS": 256 MiB write/remove
# rounds until the kernel has written EVENTS events.
if [ "${1:-}" = "--churn" ]; then
	work=$(mktemp -d /dev/shm/pcr-bench.XXXXXX)
	while [ "$(written)" -lt "$2" ]; do
		dd if=/dev/zero of="$work/f" bs=1M count=256 status=none
		rm -f "$work/f"
	done
	rmdir "$work"
	exit 0
fi

command -v trace-cmd >/dev/null || { echo "record-bench.sh: needs trace-cmd" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "record-bench.sh: needs root (tracefs)" >&2; exit 2; }
mkdir -p "$dir"
self=$(readlink -f "$0")

record() {
	name=$1 events=$2
	rm -f "$dir/$name.v7.dat" "$dir/$name.v6.dat"
	# -d --no-filter: the function-tracer files are refused on a locked-down kernel (trace-cmd
	# then exits 1 after writing a complete file, so its status is checked through the file).
	# -b 65536: 64 MiB per CPU keeps the ring buffers from overflowing during the bursts.
	trace-cmd record -q -d --no-filter -b 65536 -o "$dir/$name.v7.dat" \
		-e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched \
		-- "$self" --churn "$events" >/dev/null 2>&1 || true
	[ -s "$dir/$name.v7.dat" ] || { echo "record-bench.sh: trace-cmd wrote no $dir/$name.v7.dat" >&2; exit 1; }
	trace-cmd convert --file-version 6 --compression none -i "$dir/$name.v7.dat" \
		-o "$dir/$name.v6.dat" >/dev/null 2>&1
	ls -l "$dir/$name.v7.dat" "$dir/$name.v6.dat"
}

record medium "$medium_events"
record large "$large_events"
