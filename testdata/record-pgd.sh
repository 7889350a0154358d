#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# record-pgd.sh - record t13: fork/exec load with kernel stacks and process events
#
# Usage: record-pgd.sh [OUTPUT [TRIES]]
#
#   Run as root, with pagecheck-replay built (PCR, default ../build/pagecheck-replay) and
#   trace-cmd. Records 200 'sh -c true' runs, 2 ms apart, with
#   'pagecheck-replay record --stacks' (kmem page events, sched:sched_process_fork, _exec and
#   _exit, kernel stacks) until a recording holds a double alloc of a page directory and
#   nothing else that fails the run: a 6.18 kernel leaves the free of about 1 page directory
#   in 700 out of a recording (README "Exact on real kernels"), so one try in three or four
#   holds one. Each try replaces OUTPUT (default: t13_pgd_mmdrop_v7zstd.dat beside this
#   script) only when it qualifies.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/t13_pgd_mmdrop_v7zstd.dat}
tries=${2:-12}
pcr=${PCR:-$here/../build/pagecheck-replay}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for try in $(seq "$tries"); do
	"$pcr" record --stacks --buffer-kb=131072 -o "$tmp/t13.dat" -- \
		bash -c 'for i in $(seq 200); do sh -c true; sleep 0.002; done' >"$tmp/record.log" 2>&1 ||
		{ cat "$tmp/record.log"; exit 1; }
	status=0
	"$pcr" "$tmp/t13.dat" >"$tmp/replay.txt" 2>&1 || status=$?
	n=$(awk '/^double_alloc_explained_events:/ { print $2 }' "$tmp/replay.txt")
	echo "try $try: exit $status, $n page directories explained"
	if [ "$status" -eq 0 ] && [ "${n:-0}" -ge 1 ]; then
		mv "$tmp/t13.dat" "$out"
		grep -E '^(events_|double_alloc|explained|loss_check)' "$tmp/replay.txt"
		exit 0
	fi
done
echo "no try qualified" >&2
exit 1
