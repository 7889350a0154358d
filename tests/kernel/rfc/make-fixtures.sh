#!/bin/bash
# make-fixtures.sh - copy a run-rfc.sh result into testdata/rfc and measure what the
# tracepoints miss (tp-vs-checker.py) into testdata/rfc/tp-vs-checker.md.
#
# Usage: tests/kernel/rfc/make-fixtures.sh [RUN-OUT [STACKS-RUN-OUT]]
#   RUN-OUT: a run-rfc.sh result (default /var/tmp/pcr-rfc/out); STACKS-RUN-OUT: one of
#   `STACKTRACE=1 WORKLOADS=forkexec run-rfc.sh`, whose boot becomes boot-stacks.*
# Copies boot.dat + boot.stats (the stop snapshot) and, per workload, NAME.checker.dat,
# NAME.kmem.dat, NAME.stacks.dat and the checker's stats before and after each recording.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run=${1:-${PCR_RFC_WORK:-/var/tmp/pcr-rfc}/out}
dest=$here/../../../testdata/rfc
mkdir -p "$dest"
for f in "$run"/boot.dat "$run"/boot.stats "$run"/boot.stats-after "$run"/uname.txt \
	 "$run"/qemu-append.txt "$run"/*.checker.dat "$run"/*.kmem.dat "$run"/*.stacks.dat \
	 "$run"/*.stats-before "$run"/*.stats-after "$run"/final.stats; do
	[ -e "$f" ] && cp "$f" "$dest/"
done
grep -E 'page_consistency|WARNING' "$run/dmesg.txt" > "$dest/dmesg-checker.txt" || true
if [ -n "${2:-}" ]; then
	for f in dat stats stats-after; do
		cp "$2/boot.$f" "$dest/boot-stacks.$f"
	done
	cp "$2/qemu-append.txt" "$dest/boot-stacks.qemu-append.txt"
	grep -E 'page_consistency|WARNING' "$2/dmesg.txt" >> "$dest/dmesg-checker.txt" || true
fi
specs=()
for f in "$dest"/*.checker.dat; do
	specs+=("$(basename "$f" .checker.dat)=$f")
done
"$here/tp-vs-checker.py" --markdown "${specs[@]}" > "$dest/tp-vs-checker.md"
cat "$dest/tp-vs-checker.md"
