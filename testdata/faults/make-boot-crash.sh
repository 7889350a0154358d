#!/bin/bash
# make-boot-crash.sh - remake the recordings from boot (boot-*.dat here) and the console logs of
# a crash after a module fault (../console/fault-*.log.zst): five qemu boots of
# tests/kernel/faults/run-boot-crash.sh, about 2 minutes each with TCG. Each boot gives one
# recording from boot and one console:
#
#   boot  recording from boot (mode, kind)           console (crash mode, kind, crash=)
#   A     boot-never_allocated                      fault-double_free-bug           (kmem)
#   B     boot-never_allocated-stacks               fault-double_alloc-stacks-panic
#   C     boot-control                              fault-control-panic             (kmem)
#   D     boot-never_allocated-stacks-isolation     fault-wrong_order-stacks-panic
#   E     boot-control-stacks-isolation             fault-double_free-stacks-bug
#
# For each recording, BOOT.qemu-append.txt is the kernel command line and
# BOOT.kernel-messages.txt what the kernel printed about the module's pages.
# Usage: sudo testdata/faults/make-boot-crash.sh     (WORK [/tmp/pcr-boot-crash], KPKG, ACCEL)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
RUN=$HERE/../../tests/kernel/faults/run-boot-crash.sh
WORK=${WORK:-/tmp/pcr-boot-crash}

# one BOOT_MODE STACKS ISOLATION CRASH_MODE CRASH: one boot, its two fixtures copied here
one() {
	local name=boot-$1 log=fault-$4
	[ "$2" = 1 ] && name+=-stacks && log+=-stacks
	[ "$3" = 1 ] && name+=-isolation
	log+=-$5
	local mem=1G buf=16M
	[ "$2" = 1 ] && mem=2G buf=32M
	WORK=$WORK OUT=$WORK/out-$name BOOT_MODE=$1 STACKS=$2 ISOLATION=$3 CRASH_MODE=$4 \
		CRASH=$5 MEM=$mem BOOT_BUF=$buf "$RUN"
	cp "$WORK/out-$name/$name.dat" "$HERE/"
	cp "$WORK/out-$name/qemu-append.txt" "$HERE/$name.qemu-append.txt"
	grep -E 'BUG: Bad page state|page dumped because|pcr_fault: mode=' \
		"$WORK/out-$name/$name.dmesg.txt" | sed 's/^\[ *[0-9.]*\] //' \
		>"$HERE/$name.kernel-messages.txt" || true
	zstd -q -19 -f "$WORK/out-$name/console.log" -o "$HERE/../console/$log.log.zst"
}

one never_allocated 0 0 double_free bug
one never_allocated 1 0 double_alloc panic
one control 0 0 control panic
one never_allocated 1 1 wrong_order panic
one control 1 1 double_free bug
ls -l "$HERE"/boot-*.dat "$HERE"/../console/fault-*.log.zst
