#!/bin/sh
# /init of the reference-kernel runs (run-rfc.sh puts it into the initramfs). PID 1, busybox.
#
# 1. The boot recording: the kernel command line enabled the kmem page events, the checker's
#    page_consistency events, initcall_finish and sched_process_exec at trace_init(), so the
#    top-level buffer holds every checker hook call since page_consistency_init() (the calls
#    before tracing existed come from the checker's early buffer, marked early=1). A light
#    workload runs, then reading debugfs page_consistency_trace/stop takes the counters and
#    switches tracing off in one stop_machine() call: the recording ends exactly there.
# 2. Each workload is recorded three ways with trace-cmd start/stop/extract into files of its own:
#    the kmem page events only; the same with -T (kernel stacks); the same with -T and the
#    checker's event.
# Results go out as a tar archive written onto /dev/vda.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
T=/sys/kernel/tracing
D=/sys/kernel/debug
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs $T
mount -t debugfs debugfs $D
mount -t tmpfs tmpfs /tmp
mkdir -p /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
ip link set lo up
R=/tmp/rec
mkdir -p $R

say() { echo "rfc-init: $*" > /dev/console; }
arg() { v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -1); echo "${v:-$2}"; }
WORKLOADS=$(arg rfc_workloads "forkexec,thp-compact,vmalloc,mlock,memcg-oom,pagecache,net")
SCALE=$(arg rfc_scale 1)
MODES=$(arg rfc_modes "kmem,stacks,checker" | tr , ' ')
BUFFER_KB=$(arg rfc_buffer_kb 32768)

say "boot recording: light workload, then the stop snapshot"
echo "rfc-init: boot workload start" > $T/trace_marker
/init-workload boot 1
cat $D/page_consistency_trace/stop > $R/boot.stats
cat $D/page_consistency/stats > $R/boot.stats-after
cat $T/tracing_on > $R/boot.tracing_on-after-stop
for c in $T/per_cpu/cpu*; do echo "== ${c##*/}"; cat $c/stats; done > $R/boot.ringbuffer-stats.txt
cat /proc/cmdline > $R/cmdline.txt
uname -a > $R/uname.txt
trace-cmd extract -o $R/boot.dat > $R/boot.extract.log 2>&1
say "boot.dat: $(wc -c < $R/boot.dat) bytes; stats: $(tr '\n' ' ' < $R/boot.stats)"
# the top-level buffer is done: no more events there
echo 0 > $T/events/enable
echo > $T/trace

KMEM="-e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched"
PROC="-e sched:sched_process_fork -e sched:sched_process_exec -e sched:sched_process_exit"
CHECKER="-e page_consistency:pc_update"
# what 'pagecheck-replay record' adds: compaction's free page isolations
COMPACT="-e compaction:mm_compaction_isolate_freepages -e compaction:mm_compaction_fast_isolate_freepages"
IFS_SAVE=$IFS
IFS=,
for w in $WORKLOADS; do
	IFS=$IFS_SAVE
	for mode in $MODES; do
		case $mode in
		kmem)	 opts="$KMEM $PROC" ;;
		stacks)	 opts="-T $KMEM $PROC" ;;
		checker) opts="-T $KMEM $PROC $CHECKER" ;;
		# pagecheck-replay record --stacks's events, and the checker's calls as the answer
		extras)	 opts="-T $KMEM $PROC $COMPACT $CHECKER" ;;
		esac
		name=$w.$mode
		cat $D/page_consistency/stats > $R/$name.stats-before
		say "recording $name"
		# start/stop/extract, not record: trace-cmd record's recorders left up to 99,198
		# events unread in the buffer at its end under TCG; extract reads the stopped buffer
		# whole (the file's per-CPU counters, checked by the replay, say so)
		{
			# shellcheck disable=SC2086
			# trace-cmd reset leaves options/stacktrace as -T set it: kmem mode needs it off
			echo 0 > $T/options/stacktrace
			trace-cmd start -b $BUFFER_KB $opts
			/init-workload $w $SCALE
			echo "workload exit $?"
			trace-cmd stop
			trace-cmd extract -o $R/$name.dat
			echo "extract exit $?"
			trace-cmd reset
		} > $R/$name.record.log 2>&1
		cat $D/page_consistency/stats > $R/$name.stats-after
		trace-cmd report --stat $R/$name.dat > $R/$name.report-stat.txt 2>&1
	done
	IFS=,
done
IFS=$IFS_SAVE
dmesg > $R/dmesg.txt
cat $D/page_consistency/stats > $R/final.stats

(cd $R && tar -cf /dev/vda .) && sync && say "results written to /dev/vda"
# qemu runs with -no-reboot: a reboot ends it, with or without ACPI
reboot -f
