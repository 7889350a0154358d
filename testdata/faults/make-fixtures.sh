#!/bin/bash
# make-fixtures.sh - remake the recordings of this folder: one qemu boot of the stock Debian 12
# kernel (tests/kernel/faults/run-faults.sh) that loads the pcr_fault module once per mode and
# recording kind, then copy the recordings here with what the module and the kernel said:
#   MODE-KIND.dat          the recordings (trace-cmd 3.1 extract: trace.dat v7, zstd)
#   expected.txt           per recording, the module's own FAULT / CONTROL / SKIPPED lines
#                          (trace-cmd report); the answer the replay must give
#   kernel-messages.txt    per recording, the kernel's "Bad page state" lines (dmesg)
#   provenance.txt         kernel package, kernel command line, trace-cmd version, date
# Usage: sudo testdata/faults/make-fixtures.sh     (WORK, KINDS, ... as run-faults.sh takes them)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/pcr-faults}
export WORK OUT=$WORK/out

"$HERE/../../tests/kernel/faults/run-faults.sh"

rm -f "$HERE"/*.dat
cp "$OUT"/*.dat "$HERE/"
: >"$HERE/expected.txt"
: >"$HERE/kernel-messages.txt"
for dat in "$HERE"/*.dat; do
	name=$(basename "$dat" .dat)
	trace-cmd report "$dat" 2>/dev/null | grep -o 'pcr_fault: [A-Z]* .*' |
		sed "s/^/$name.dat: /" >>"$HERE/expected.txt"
	grep -E 'BUG: Bad page state|page dumped because|pcr_fault: mode=' "$OUT/$name.dmesg.txt" |
		sed -e 's/^\[ *[0-9.]*\] //' -e "s/^/$name: /" >>"$HERE/kernel-messages.txt" || true
done
{
	echo "kernel package: $(cat "$OUT/kernel-package.txt")"
	echo "guest uname: $(cat "$OUT/uname.txt")"
	echo "guest kernel command line: $(cat "$OUT/cmdline.txt")"
	echo "trace-cmd: $(trace-cmd --version 2>/dev/null | grep -m1 version)"
	echo "qemu: $(qemu-system-x86_64 --version | head -1)"
	echo "made: $(date -u '+%Y-%m-%d %H:%M UTC') by testdata/faults/make-fixtures.sh"
} >"$HERE/provenance.txt"
cat "$HERE/expected.txt"
