#!/bin/bash
# run-boot-crash.sh - two more recordings of the pcr_fault module in ONE qemu boot of the stock
# Debian 12 kernel, for what a recording started after boot cannot show:
#
#   1. a recording FROM BOOT: the page events are on from the kernel command line
#      (trace_event=kmem:...,initcall:initcall_finish,sched:sched_process_exec, trace_buf_size,
#      and trace_options=stacktrace when STACKS=1), as testdata/record-boot.sh records a boot.
#      ISOLATION=1 adds compaction's isolation events and has /init compact all memory
#      (/proc/sys/vm/compact_memory) first, so that the recording holds some and shows they
#      were on (a trace-cmd extract file holds every event's format, which proves nothing).
#      After boot /init loads the module with mode=$BOOT_MODE, stops tracing and extracts the
#      ring buffer (boot-$BOOT_MODE[-stacks].dat). Only such a recording knows that a page was
#      never handed out since boot: never_allocated becomes visible.
#   2. the CONSOLE of a crash: the kernel is booted with ftrace_dump_on_oops; /init empties the
#      ring buffer, enables the three kmem events (trace-cmd start -b $CRASH_BUFKB, -T when
#      STACKS=1) and loads the module with mode=$CRASH_MODE crash=$CRASH (panic or bug). The
#      kernel prints the ring buffer, the fault included, on the serial console: console.log.
#
# The recording of part 1 is written to the virtio disk before the crash.
#
# Usage:  sudo BOOT_MODE=never_allocated CRASH_MODE=double_free CRASH=bug STACKS=0 \
#             OUT=/tmp/x tests/kernel/faults/run-boot-crash.sh
# Environment: as run-faults.sh (WORK, OUT, KPKG, MEM, SMP, SETTLE, TIMEOUT, ACCEL), and
#   BOOT_MODE [never_allocated]  CRASH_MODE [double_free]  CRASH [panic]  STACKS [0]
#   ISOLATION [0]  BOOT_BUF [16M, per CPU, from boot]  CRASH_BUFKB [1024, per CPU, before the crash]
set -euo pipefail

FAULTS_DIR=$(cd "$(dirname "$0")" && pwd)
BOOT_MODE=${BOOT_MODE:-never_allocated}
CRASH_MODE=${CRASH_MODE:-double_free}
CRASH=${CRASH:-panic}
STACKS=${STACKS:-0}
ISOLATION=${ISOLATION:-0}
BOOT_BUF=${BOOT_BUF:-16M}
CRASH_BUFKB=${CRASH_BUFKB:-1024}
MEM=${MEM:-1G}
KINDS=boot
. "$FAULTS_DIR/run-faults.sh" "$BOOT_MODE"

# The guest's PID 1 (replaces run-faults.sh's): settings from the command line (pcr_*=).
write_init() {
	{ pcr_guest_init_head run-boot-crash; cat <<'EOF'; } > "$1"
MODE=$(arg pcr_modes); SETTLE=$(arg pcr_settle)
CRASH_MODE=$(arg pcr_crash_mode); CRASH=$(arg pcr_crash); STACKS=$(arg pcr_stacks)
CRASH_BUFKB=$(arg pcr_crash_bufkb)
name=boot-$MODE; [ "$STACKS" = 1 ] && name=$name-stacks
uname -a > $R/uname.txt
cat /proc/cmdline > $R/cmdline.txt
# 1. the recording from boot: the events are on since the command line
sleep $SETTLE
if [ "$(arg pcr_isolation)" = 1 ]; then
	echo 1 > /proc/sys/vm/compact_memory
	name=$name-isolation
	sleep 1
fi
insmod /lib/modules/pcr_fault.ko mode=$MODE
echo "insmod exit $?" > $R/$name.insmod.txt
sleep $SETTLE
echo 0 > $T/tracing_on
for c in $T/per_cpu/cpu*; do echo "== ${c##*/}"; cat $c/stats; done > $R/$name.stats.txt
trim_kallsyms
trace-cmd extract -o $R/$name.dat > $R/$name.extract.log 2>&1
say "$name: extract exit $? ($(wc -c < $R/$name.dat) bytes), $(cat $R/$name.insmod.txt)"
umount /proc/kallsyms
rmmod pcr_fault
dmesg > $R/$name.dmesg.txt
write_results
# 2. the crash: the kernel prints the ring buffer on the console (ftrace_dump_on_oops)
trace-cmd reset > /dev/null 2>&1
opts="-b $CRASH_BUFKB -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched"
[ "$STACKS" = 1 ] && opts="$opts -T"
say "crash: trace-cmd start $opts; insmod pcr_fault.ko mode=$CRASH_MODE crash=$CRASH"
trace-cmd start $opts > /dev/null 2>&1
sleep $SETTLE
insmod /lib/modules/pcr_fault.ko mode=$CRASH_MODE crash=$CRASH
say "insmod exit $? after crash=$CRASH"
sleep 1
poweroff -f
EOF
	chmod +x "$1"
}

events=kmem:mm_page_alloc,kmem:mm_page_free,kmem:mm_page_free_batched
events+=,initcall:initcall_finish,sched:sched_process_exec
[ "$ISOLATION" = 1 ] &&
	events+=,compaction:mm_compaction_isolate_freepages,compaction:mm_compaction_fast_isolate_freepages
# trace_clock=global as record-boot.sh: a clock switch at late_trace_init would empty the buffer
APPEND="trace_clock=global trace_buf_size=$BOOT_BUF trace_event=$events ftrace_dump_on_oops"
[ "$STACKS" = 1 ] && APPEND+=" trace_options=stacktrace"
APPEND+=" pcr_crash_mode=$CRASH_MODE pcr_crash=$CRASH pcr_stacks=$STACKS"
APPEND+=" pcr_crash_bufkb=$CRASH_BUFKB pcr_isolation=$ISOLATION"
main
