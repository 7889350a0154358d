#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# record.sh - record the small page-allocator trace.dat files of testdata/
#
# Usage: record.sh [OUTDIR [RECORDING...]]
#
#   Run as root on a machine with tracefs and trace-cmd (3.1.6 was used).
#   OUTDIR defaults to the directory that holds this script. RECORDING is a
#   file name prefix such as t02 or bad; without one, every recording is
#   made. Existing files of the same name are replaced, and only after the
#   new file has passed every check below.
#
#   Environment: CC (default cc), TRIES (attempts per recording, default
#   5), MAX_PAGE_EVENTS (default 15000), WAIT_OTHERS (seconds to wait for
#   trace-cmd processes that this script did not start, default 60).
#
#   "bad" makes the damaged files and bad_no_kmem_nokallsyms.dat (a valid
#   recording without any kmem event); "bad_t", "bad_no" etc. select one.
#
# Each recording runs a small workload (built here from inline C) under
# "trace-cmd record -d --no-filter". On a locked-down kernel the
# function-tracer files return EPERM: a plain "trace-cmd record" segfaults,
# and even with -d --no-filter trace-cmd exits 1 ("opening to
# .../set_ftrace_filter") after the file is written. Exit status 1 is
# accepted only with that message and only when the file then passes
# "trace-cmd report --stat", "trace-cmd dump -v" and a full
# "trace-cmd report" without any error output. Anything else stops the
# script with a message.
#
# Each recording is then checked for loss: for every buffer and CPU, the
# kernel counters stored in the file (entries + read events, from
# "trace-cmd report --stat") must equal the records the file holds (from
# "trace-cmd report -R"), and the overrun, commit overrun and dropped
# events counters must be 0. (Events that the kernel overwrote are in
# neither entries nor read events: only the overrun counter shows them.)
# On the 6.18 kernel used, the counters sometimes exceed the records by up
# to about a page of events with nothing lost (see README.md); the test
# files must pass the check all the same, so a recording that fails it is
# made again, up to TRIES times. t10 is the exception: it must lose events
# (overrun > 0 and "[N EVENTS DROPPED]" notices), and is made again when it
# did not. A recording is also made again when it has more than
# MAX_PAGE_EVENTS page events (every recording is system-wide: other
# activity on the machine ends up in it too), when it lacks an event type
# it must show, when it is larger than its size limit, and when its own
# check (for example "no kmem event in the top-level buffer") fails.
#
# trace-cmd is started with setsid so that recorder children that outlive
# it (they do when trace-cmd crashes) can be found by session id and killed.
#
# Compressed, /proc/kallsyms alone is about 1 MB on the kernel used, and
# 5.4 MB in v6 or uncompressed v7 files. Only t06 keeps it; every other
# recording runs in a private mount namespace with /dev/null bound over
# /proc/kallsyms and has "nokallsyms" in its name (the kernel_stack records
# of t07 therefore hold bare addresses).
#
# Instances: t05 and t09 use the instance "pcr" and refuse to start when it
# exists. t11 must use the instance "x" (the tests name it): when one
# exists and is idle (tracing off, no event enabled, empty buffer), it is
# used and then left as it was found (events off, buffer emptied, same
# size); when it does not exist, trace-cmd creates it and the script
# removes it. t10 shrinks the top-level buffer to 4 KiB; its previous size
# is restored afterwards.
#
# At the end a summary (format, sizes, event counts, failed allocations,
# loss check) is printed for README.md.

set -euo pipefail

TRACEFS=/sys/kernel/tracing
EV3=(-e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched)
EV5=("${EV3[@]}" -e kmem:mm_page_alloc_zone_locked -e kmem:mm_page_pcpu_drain)
INSTANCE=pcr
# Per-CPU ring buffer in KiB. Records are streamed to the file while the
# workload runs, so this does not limit the file size; it only has to hold
# a whole run so that no event is overwritten (about 1.5 MB with -T).
BUF_KB=2048

TRIES=${TRIES:-5}
MAX_PAGE_EVENTS=${MAX_PAGE_EVENTS:-15000}
WAIT_OTHERS=${WAIT_OTHERS:-60}
CC=${CC:-cc}

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$script_dir}
[ $# -gt 0 ] && shift
only=("$@")

die()
{
	echo "record.sh: error: $*" >&2
	exit 1
}

note()
{
	echo "record.sh: $*" >&2
}

wanted()
{
	local p

	[ ${#only[@]} -eq 0 ] && return 0
	for p in "${only[@]}"; do
		case $1 in "$p"*) return 0 ;; esac
	done
	return 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root"
command -v trace-cmd >/dev/null || die "trace-cmd not found"
command -v "$CC" >/dev/null || die "no C compiler ($CC)"
command -v unshare >/dev/null || die "unshare (util-linux) not found"
command -v setsid >/dev/null || die "setsid (util-linux) not found"
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ ! -e "$TRACEFS/trace" ]; then
	note "mounting tracefs on $TRACEFS"
	mount -t tracefs nodev "$TRACEFS" || die "cannot mount tracefs"
fi
[ -e "$TRACEFS/events/kmem/mm_page_alloc/format" ] ||
	die "$TRACEFS has no kmem:mm_page_alloc event"

work=$(mktemp -d /tmp/pcr-record.XXXXXX)
cur_sid=
cur_tmp=
# tracefs state to put back (see restore_tracefs), also on an early exit.
saved_top_kb=
inst_name=
inst_created=
inst_saved_kb=

cleanup()
{
	# Only processes of the session we started.
	if [ -n "$cur_sid" ] && pgrep -s "$cur_sid" >/dev/null; then
		kill -- -"$cur_sid" 2>/dev/null || true
	fi
	if [ -n "$cur_tmp" ]; then
		rm -f "$cur_tmp" "$cur_tmp".*
	fi
	if declare -F restore_tracefs >/dev/null; then
		restore_tracefs || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# --- workload --------------------------------------------------------------

# churn MB ITERS FORKS: mmap MB of anonymous memory, touch every page,
# munmap it, and repeat ITERS times; after each pass, FORKS children one
# after the other each touch 1 MiB and exit. MADV_NOHUGEPAGE keeps the
# pages order 0.
cat >"$work/churn.c" <<'EOF'
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void touch(size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += pg)
		p[i] = (char)i;
	munmap(p, len);
}

int main(int argc, char **argv)
{
	size_t mb;
	int iters, forks, i, j;

	if (argc != 4) {
		fprintf(stderr, "usage: churn MB ITERS FORKS\n");
		return 2;
	}
	mb = strtoul(argv[1], NULL, 0);
	iters = atoi(argv[2]);
	forks = atoi(argv[3]);

	for (i = 0; i < iters; i++) {
		touch(mb << 20);
		for (j = 0; j < forks; j++) {
			pid_t pid = fork();

			if (pid < 0) {
				perror("fork");
				return 1;
			}
			if (pid == 0) {
				touch(1 << 20);
				_exit(0);
			}
			if (waitpid(pid, NULL, 0) != pid) {
				perror("waitpid");
				return 1;
			}
		}
	}
	return 0;
}
EOF
"$CC" -O2 -Wall -o "$work/churn" "$work/churn.c" || die "cannot build churn"

# The workload traced by every recording: about 3500 page events of its
# own. "wl.sh SECONDS" then sleeps: the per-CPU page lists are drained
# back to the buddy allocator by the vmstat worker after about a second of
# quiet (mm_page_pcpu_drain events).
cat >"$work/wl.sh" <<EOF
#!/bin/sh
set -e
"$work/churn" 2 1 2
dd if=/dev/zero of="$work/ddfile" bs=64k count=16 conv=fsync status=none
rm -f "$work/ddfile"
[ \$# -eq 0 ] || sleep "\$1"
EOF
chmod +x "$work/wl.sh"

# A smaller workload for t07, whose stacks are stored uncompressed: about
# 1,700 page events of its own (wl.sh: about 3,500).
cat >"$work/wl-small.sh" <<EOF
#!/bin/sh
set -e
"$work/churn" 1 1 1
EOF
chmod +x "$work/wl-small.sh"

# renamer (t09): renames itself with prctl(PR_SET_NAME) to "Web Content",
# touches 1 MiB, forks a child that touches 1 MiB (and keeps that name),
# then renames itself to "a] b-1 [000] c" and touches 1 MiB again. Such
# comms (spaces, a dash followed by digits, "] " and a fake "[000]") trip up
# parsers of the text of trace-cmd report. trace-cmd prints the name that
# the saved cmdlines hold at the end of the recording, so even the exec of
# renamer shows its last name.
cat >"$work/renamer.c" <<'EOF'
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void touch(size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += pg)
		p[i] = (char)i;
	munmap(p, len);
}

static void rename_to(const char *name)
{
	if (prctl(PR_SET_NAME, name, 0, 0, 0) != 0) {
		perror("prctl");
		exit(1);
	}
}

int main(void)
{
	pid_t pid;

	rename_to("Web Content");
	touch(1 << 20);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		touch(1 << 20);
		_exit(0);
	}
	if (waitpid(pid, NULL, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	rename_to("a] b-1 [000] c");
	touch(1 << 20);
	return 0;
}
EOF
"$CC" -O2 -Wall -o "$work/renamer" "$work/renamer.c" || die "cannot build renamer"

# t10: a burst of page events: 16 MiB written into a tmpfs file in 1 MiB
# writes, then the file removed (batched frees).
cat >"$work/wl-burst.sh" <<'EOF'
#!/bin/sh
set -e
f=$(mktemp /dev/shm/pcr-record-burst.XXXXXX)
dd if=/dev/zero of="$f" bs=1M count=16 status=none
rm -f "$f"
EOF
chmod +x "$work/wl-burst.sh"

# t09: the renamer, then a small churn (more execs, more page events).
cat >"$work/wl-comm.sh" <<EOF
#!/bin/sh
set -e
"$work/renamer"
"$work/churn" 1 1 1
EOF
chmod +x "$work/wl-comm.sh"

# --- trace-cmd helpers -----------------------------------------------------

# tracing_tracecmd: the trace-cmd processes that use the ring buffers
# (trace-cmd report and friends only read files).
tracing_tracecmd()
{
	pgrep -a -x trace-cmd |
		awk '$3 ~ /^(record|start|stream|extract|profile|listen|agent|stop|reset)$/'
}

# Wait until no other trace-cmd uses the ring buffers: it could consume our
# events or reset the buffers. Those processes are not ours: never kill
# them, give up instead.
wait_for_other_tracecmd()
{
	local i

	for ((i = 0; i < WAIT_OTHERS; i++)); do
		[ -n "$(tracing_tracecmd)" ] || return 0
		if [ "$i" -eq 0 ]; then
			note "waiting for trace-cmd processes we did not start:"
			tracing_tracecmd >&2
		fi
		sleep 1
	done
	die "trace-cmd processes still running after ${WAIT_OTHERS}s (not started here, not killed)"
}

# verify FILE: the file opens and reads without error output.
verify()
{
	local f=$1 err=$work/verify.err

	trace-cmd report --stat "$f" >/dev/null 2>"$err" || return 1
	[ ! -s "$err" ] || return 1
	trace-cmd dump -v -i "$f" >/dev/null 2>"$err" || return 1
	trace-cmd report "$f" >/dev/null 2>"$err" || return 1
	[ ! -s "$err" ] || return 1
	trace-cmd report -R "$f" >/dev/null 2>"$err" || return 1
	[ ! -s "$err" ] || return 1
}

# REC_AWK: awk functions that read a line of "trace-cmd report" (with or
# without -R). A record line is "[PREFIX]COMM-PID [CPU] TS: EVENT: ...".
# COMM is right-aligned in 16 columns and may hold spaces, dashes, "] " and
# even "[000]" (t09), so the leftmost "-PID [CPU] TS: EVENT:" is taken as
# the record header and COMM as the 16 columns before it. PREFIX, present
# when the file has instance buffers, is the instance name and ":" padded
# to a fixed width (blanks for the top-level buffer). A notice
# "CPU:N [M EVENTS DROPPED]" follows the prefix of its buffer; the record
# printed right after it has no prefix of its own.
# parse(line) returns 1 for a record (sets BUF, COMM, CPU, EVENT), 2 for a
# notice (sets BUF, CPU, DROPPED) and 0 otherwise. BUF is "top" for the
# top-level buffer.
REC_AWK='
function bufname(pre) {
	sub(/^ +/, "", pre)
	sub(/: *$/, "", pre)
	return pre == "" ? "top" : pre
}
function parse(line,    head, hdr, pre, t) {
	if (match(line, /CPU:[0-9]+ \[[0-9]+ EVENTS DROPPED\]$/)) {
		BUF = bufname(substr(line, 1, RSTART - 1))
		t = substr(line, RSTART + 4)
		CPU = t + 0
		sub(/^[0-9]+ \[/, "", t)
		DROPPED = t + 0
		pending = BUF
		return 2
	}
	if (!match(line, /-[0-9]+ +\[[0-9]+\] +[0-9]+\.[0-9]+: +[A-Za-z0-9_]+:/))
		return 0
	head = substr(line, 1, RSTART - 1)
	hdr = substr(line, RSTART, RLENGTH)
	pre = length(head) > 16 ? substr(head, 1, length(head) - 16) : ""
	COMM = substr(head, length(pre) + 1)
	sub(/^ +/, "", COMM)
	BUF = bufname(pre)
	if (pre == "" && pending != "")
		BUF = pending
	pending = ""
	match(hdr, /\[[0-9]+\]/)
	CPU = substr(hdr, RSTART + 1, RLENGTH - 2) + 0
	sub(/:$/, "", hdr)
	sub(/.* /, "", hdr)
	EVENT = hdr
	return 1
}
'

# loss_table FILE: one line per buffer and CPU:
# "BUF CPU STAT RECORDS LOST NOTICED". STAT is entries + read events and
# LOST is overrun + commit overrun + dropped events, both from the counters
# stored in the file ("-" when the file has none for that CPU). RECORDS is
# the number of records the file holds, NOTICED the sum of the
# "[N EVENTS DROPPED]" notices of trace-cmd report.
loss_table()
{
	local f=$1

	{
		trace-cmd report --stat "$f" |
			awk '/^Buffer: / { b = $2 }
			     /^CPU: / { c = $2; o = co = d = 0 }
			     /^entries: / { e = $2 }
			     /^overrun: / { o = $2 }
			     /^commit overrun: / { co = $3 }
			     /^dropped events: / { d = $3 }
			     /^read events: / {
				print "S", (b == "" ? "top" : b), c, e + $3, o + co + d
			     }'
		trace-cmd report -R "$f" |
			awk "$REC_AWK"'{ t = parse($0) }
			     t == 1 { r[BUF " " CPU]++ }
			     t == 2 { n[BUF " " CPU] += DROPPED }
			     END {
				for (x in r) print "R", x, r[x]
				for (x in n) print "N", x, n[x]
			     }'
	} | awk '$1 == "S" { s[$2 " " $3] = $4; l[$2 " " $3] = $5; k[$2 " " $3] = 1 }
		 $1 == "R" { r[$2 " " $3] = $4; k[$2 " " $3] = 1 }
		 $1 == "N" { n[$2 " " $3] = $4; k[$2 " " $3] = 1 }
		 END { for (x in k)
			print x, (x in s ? s[x] : "-"), r[x] + 0,
			      (x in l ? l[x] : "-"), n[x] + 0 }' | sort
}

# loss_ok FILE: every buffer and CPU with stored counters matches, and
# nothing was overwritten or dropped.
loss_ok()
{
	loss_table "$1" |
		awk '$3 != "-" && ($3 != $4 || $5 != 0) { bad = 1 }
		     $6 != 0 { bad = 1 }
		     END { exit bad }'
}

# loss_shown FILE: the opposite, for t10: the counters of some CPU show
# overwritten events and trace-cmd report prints "EVENTS DROPPED" notices.
loss_shown()
{
	loss_table "$1" |
		awk '$5 != "-" && $5 > 0 { lost = 1 }
		     $6 > 0 { noticed = 1 }
		     END { exit !(lost && noticed) }'
}

# count_events FILE: "BUF EVENT COUNT" from the text of trace-cmd report.
count_events()
{
	trace-cmd report "$1" |
		awk "$REC_AWK"'parse($0) == 1 { n[BUF " " EVENT]++ }
		     END { for (x in n) print x, n[x] }' | sort
}

# failed_allocs FILE: mm_page_alloc records whose raw pfn is -1.
failed_allocs()
{
	trace-cmd report -R "$1" |
		awk '/ mm_page_alloc: / && /pfn=0xffffffffffffffff/ { n++ } END { print n + 0 }'
}

# page_events FILE: number of mm_page_* records in all buffers.
page_events()
{
	count_events "$1" | awk '$2 ~ /^mm_page_/ { n += $3 } END { print n + 0 }'
}

# buffer_kb DIR: the per-CPU size of the ring buffer of DIR (tracefs or an
# instance), "expanded" size if it was never expanded; empty if the CPUs
# differ ("X").
buffer_kb()
{
	awk '/expanded:/ { sub(/.*expanded: */, ""); sub(/\).*/, "") }
	     $1 ~ /^[0-9]+$/ { print $1 }' "$1/buffer_size_kb"
}

# instance_idle DIR: tracing off, no event enabled, nothing in the buffer.
instance_idle()
{
	[ "$(cat "$1/tracing_on")" = 0 ] || return 1
	! grep -q . "$1/set_event" || return 1
	! grep -v -q -e '^#' -e '^$' "$1/trace" || return 1
}

# use_instance NAME MODE: before a recording into instance NAME (-B NAME).
#   MODE "new": NAME must not exist; trace-cmd creates it and
#   restore_tracefs removes it. MODE "reuse-idle": an existing NAME that is
#   idle is used and restore_tracefs leaves it as it was found; a busy one
#   stops the script (it is not ours: it is never changed).
use_instance()
{
	local name=$1 mode=$2 dir=$TRACEFS/instances/$1

	[ -z "$inst_name" ] || die "internal: instance $inst_name still in use"
	if [ ! -e "$dir" ]; then
		inst_name=$name
		inst_created=1
		inst_saved_kb=
		return 0
	fi
	[ "$mode" = reuse-idle ] ||
		die "instance $name exists ($dir); remove it (rmdir) if it is a leftover of this script"
	instance_idle "$dir" ||
		die "instance $name exists and is in use (tracing on, events enabled or data in its buffer); not touched"
	inst_name=$name
	inst_created=
	inst_saved_kb=$(buffer_kb "$dir")
	note "instance $name exists and is idle: using it, it will be left as it was"
}

# restore_tracefs: undo what trace-cmd (which exits early on this kernel)
# and t10 left behind: the size of the top-level buffer, the instance of
# use_instance.
restore_tracefs()
{
	local dir rc=0

	if [ -n "$saved_top_kb" ]; then
		echo "$saved_top_kb" >"$TRACEFS/buffer_size_kb" ||
			{ note "cannot restore $TRACEFS/buffer_size_kb to $saved_top_kb"; rc=1; }
		saved_top_kb=
	fi
	if [ -n "$inst_name" ]; then
		dir=$TRACEFS/instances/$inst_name
		if [ -d "$dir" ]; then
			echo 0 >"$dir/tracing_on"
			echo >"$dir/set_event"
			if [ -n "$inst_created" ]; then
				rmdir "$dir" || { note "cannot remove instance $dir"; rc=1; }
			else
				echo >"$dir/trace"
				if [ -n "$inst_saved_kb" ]; then
					echo "$inst_saved_kb" >"$dir/buffer_size_kb" || rc=1
				fi
			fi
		fi
		inst_name=
		inst_created=
		inst_saved_kb=
	fi
	return $rc
}

# record NAME KALLSYMS TRACE-CMD-RECORD-ARGS...
#   KALLSYMS is "kallsyms" to keep /proc/kallsyms, "nokallsyms" to hide it.
#   These may be set for the call:
#     WL        the workload command (words; default: wl.sh)
#     WL_ARGS   its arguments
#     REQUIRE   event names that must have records (in any buffer)
#     MAX_BYTES the largest acceptable file size
#     CHECK     a function called with the new file; when it fails (after
#               saying why), the recording is made again
#     LOSS      "expected": the file must show loss (loss_shown) instead
#               of passing the loss check
record()
{
	local name=$1 ks=$2 dst=$out/$1 tmp=$out/.rec-$1 err=$work/record.err
	local try rc cmd n ev missing size
	local -a wl wl_args
	shift 2
	read -r -a wl <<<"${WL:-$work/wl.sh}"
	read -r -a wl_args <<<"${WL_ARGS:-}"
	cur_tmp=$tmp

	for ((try = 1; try <= TRIES; try++)); do
		wait_for_other_tracecmd
		rm -f "$tmp" "$tmp".cpu* "$tmp".*
		sync

		cmd=(trace-cmd record -d --no-filter -o "$tmp" "$@" -- "${wl[@]}"
		     "${wl_args[@]}")
		if [ "$ks" = nokallsyms ]; then
			cmd=(unshare -m sh -c \
				'mount --bind /dev/null /proc/kallsyms && exec "$@"' \
				sh "${cmd[@]}")
		fi
		note "$name (try $try): ${cmd[*]}"

		# setsid execs directly (a background job of a script is no
		# process group leader), so $! is the session id.
		setsid "${cmd[@]}" >"$work/record.out" 2>"$err" </dev/null &
		cur_sid=$!
		rc=0
		wait "$cur_sid" || rc=$?

		if pgrep -s "$cur_sid" >/dev/null; then
			note "leftover processes of trace-cmd session $cur_sid, killing them:"
			pgrep -a -s "$cur_sid" >&2 || true
			kill -- -"$cur_sid" 2>/dev/null || true
			sleep 1
			if pgrep -s "$cur_sid" >/dev/null; then
				kill -KILL -- -"$cur_sid" 2>/dev/null || true
			fi
		fi
		cur_sid=

		case $rc in
		0) ;;
		1)
			grep -q 'set_ftrace_filter' "$err" || {
				cat "$err" >&2
				die "$name: trace-cmd record exited 1 for an unknown reason"
			}
			;;
		*)
			cat "$err" >&2
			die "$name: trace-cmd record failed with status $rc"
			;;
		esac
		verify "$tmp" || {
			cat "$err" "$work/verify.err" >&2
			die "$name: trace-cmd record exited $rc and the file is incomplete"
		}

		if [ "${LOSS:-}" = expected ]; then
			if ! loss_shown "$tmp"; then
				note "$name: no loss shown, but this recording must lose events" \
					"(buffer cpu stat records lost noticed):"
				loss_table "$tmp" >&2
				continue
			fi
		elif ! loss_ok "$tmp"; then
			note "$name: loss check failed (buffer cpu stat records lost noticed):"
			loss_table "$tmp" >&2
			continue
		fi
		n=$(page_events "$tmp")
		if [ "$n" -gt "$MAX_PAGE_EVENTS" ]; then
			note "$name: $n page events, more than $MAX_PAGE_EVENTS (other activity?)"
			continue
		fi
		missing=
		for ev in ${REQUIRE:-}; do
			count_events "$tmp" | awk -v e="$ev" '$2 == e { f = 1 } END { exit !f }' ||
				missing="$missing $ev"
		done
		if [ -n "$missing" ]; then
			note "$name: no records of$missing"
			continue
		fi
		size=$(stat -c %s "$tmp")
		if [ -n "${MAX_BYTES:-}" ] && [ "$size" -gt "$MAX_BYTES" ]; then
			note "$name: $size bytes, more than $MAX_BYTES (other activity?)"
			continue
		fi
		if [ -n "${CHECK:-}" ] && ! "$CHECK" "$tmp"; then
			continue
		fi
		mv -f "$tmp" "$dst"
		rm -f "$tmp".*
		cur_tmp=
		return 0
	done
	die "$name: no usable recording after $TRIES tries"
}

# --- the recordings --------------------------------------------------------

# Checks of single recordings (CHECK=...). Each says why it fails.

# no_page_events_in_top FILE: all kmem records are in instance buffers.
no_page_events_in_top()
{
	count_events "$1" | awk '$1 == "top" && $2 ~ /^mm_page/ { exit 1 }' || {
		note "the top-level buffer holds kmem events"
		return 1
	}
}

# check_t07 FILE: kernel_stack records whose frames are bare addresses.
check_t07()
{
	trace-cmd report "$1" | awk '
		/^ *=> / { frames++; if ($0 !~ /^ *=> +(0x)?[0-9a-f]+ *$/) named++ }
		END { exit !(frames > 0 && named == 0) }' || {
		note "t07: no stack frames, or frames with symbol names"
		return 1
	}
}

# check_t09 FILE: page events only in instance $INSTANCE, exec events in
# both buffers, records under both names of the renamer, and the exec of
# renamer under its last name.
check_t09()
{
	no_page_events_in_top "$1" || return 1
	count_events "$1" | awk -v i="$INSTANCE" '
		$1 == "top" && $2 == "sched_process_exec" { te = 1 }
		$1 == i && $2 == "sched_process_exec" { ie = 1 }
		$1 == i && $2 ~ /^mm_page_/ { ip = 1 }
		END { exit !(te && ie && ip) }' || {
		note "t09: exec events missing in a buffer, or no page events in $INSTANCE"
		return 1
	}
	trace-cmd report "$1" | awk "$REC_AWK"'parse($0) == 1 {
			if (COMM == "Web Content" && EVENT ~ /^mm_page_/) web = 1
			if (COMM == "a] b-1 [000] c" && EVENT ~ /^mm_page_/) odd = 1
			if (COMM == "a] b-1 [000] c" && EVENT == "sched_process_exec" &&
			    $0 ~ /filename=[^ ]*\/renamer /) exec = 1
		}
		END { exit !(web && odd && exec) }' || {
		note "t09: page events of \"Web Content\" or \"a] b-1 [000] c\" or the exec of renamer missing"
		return 1
	}
}

# check_t11 FILE: buffers top and x only, each with page events.
check_t11()
{
	count_events "$1" | awk '
		$1 != "top" && $1 != "x" { other = 1 }
		$2 ~ /^mm_page_/ { p[$1] = 1 }
		END { exit !(!other && ("top" in p) && ("x" in p)) }' || {
		note "t11: page events not in both buffers top and x, or another buffer"
		return 1
	}
}

# check_no_kmem FILE: no kmem record and no kmem event format in the file.
check_no_kmem()
{
	if count_events "$1" | awk '$2 ~ /^mm_/ { f = 1 } END { exit !f }'; then
		note "bad_no_kmem: the file holds kmem records"
		return 1
	fi
	if trace-cmd report -E "$1" 2>/dev/null | grep -q '^kmem:'; then
		note "bad_no_kmem: the file holds kmem event formats"
		return 1
	fi
}

if wanted t01; then
	record t01_v6_nokallsyms.dat nokallsyms --file-version 6 -b $BUF_KB "${EV3[@]}"
fi

if wanted t02; then
	record t02_v7zstd_nokallsyms.dat nokallsyms -b $BUF_KB "${EV3[@]}"
fi

if wanted t03; then
	if trace-cmd list -c 2>/dev/null | grep -qw zlib; then
		record t03_v7zlib_nokallsyms.dat nokallsyms \
			--file-version 7 --compression zlib -b $BUF_KB "${EV3[@]}"
	else
		note "t03: this trace-cmd has no zlib compression (trace-cmd list -c), skipped"
	fi
fi

if wanted t04; then
	record t04_v7none_nokallsyms.dat nokallsyms \
		--file-version 7 --compression none -b $BUF_KB "${EV3[@]}"
fi

if wanted t05; then
	# Events given after -B go to that instance only; the top-level
	# buffer gets none. trace-cmd exits before it removes the instance it
	# created, so remove it here; refuse to reuse one that already exists.
	use_instance $INSTANCE new
	CHECK=no_page_events_in_top \
		record t05_instance_nokallsyms.dat nokallsyms -B $INSTANCE -b $BUF_KB "${EV3[@]}"
	restore_tracefs || die "cannot clean up instance $INSTANCE"
fi

if wanted t06; then
	record t06_stack_v7zstd.dat kallsyms -T -b $BUF_KB "${EV3[@]}"
fi

if wanted t07; then
	# v6 (no compression) with a kernel_stack record after every page
	# event: the small workload keeps the file under 700 KiB. Without
	# kallsyms, trace-cmd prints the frames as bare addresses.
	WL=$work/wl-small.sh REQUIRE=kernel_stack MAX_BYTES=716800 CHECK=check_t07 \
		record t07_stack_v6_nokallsyms.dat nokallsyms \
		--file-version 6 -T -b $BUF_KB "${EV3[@]}"
fi

if wanted t08; then
	WL_ARGS=1 REQUIRE="mm_page_alloc_zone_locked mm_page_pcpu_drain" \
		record t08_all5_v7zstd_nokallsyms.dat nokallsyms -b $BUF_KB "${EV5[@]}"
fi

if wanted t09; then
	# Exec events in the top-level buffer and in the instance, page events
	# in the instance only (the -e before -B go to the top-level buffer).
	use_instance $INSTANCE new
	WL=$work/wl-comm.sh REQUIRE="sched_process_exec mm_page_alloc mm_page_free" \
	MAX_BYTES=1000000 CHECK=check_t09 \
		record t09_instance_comm_nokallsyms.dat nokallsyms \
		-e sched:sched_process_exec \
		-B $INSTANCE -b $BUF_KB "${EV3[@]}" -e sched:sched_process_exec
	restore_tracefs || die "cannot clean up instance $INSTANCE"
fi

if wanted t10; then
	# A 4 KiB per-CPU buffer cannot hold the burst of wl-burst.sh (16 MiB
	# into tmpfs): the kernel overwrites events before trace-cmd reads them
	# (overwrite mode, the default), counts them in "overrun", and
	# trace-cmd report prints "CPU:N [M EVENTS DROPPED]". The loss check
	# is inverted: a recording without loss is made again.
	saved_top_kb=$(buffer_kb "$TRACEFS")
	[ -n "$saved_top_kb" ] || die "t10: cannot read $TRACEFS/buffer_size_kb"
	WL=$work/wl-burst.sh LOSS=expected MAX_BYTES=1000000 \
		REQUIRE="mm_page_alloc mm_page_free" \
		record t10_overrun_nokallsyms.dat nokallsyms -b 4 "${EV3[@]}"
	restore_tracefs || die "cannot restore the size of the top-level buffer"
fi

if wanted t11; then
	# The same events into the top-level buffer and into instance "x"
	# (the name is fixed: the tests refer to it).
	use_instance x reuse-idle
	MAX_BYTES=1000000 CHECK=check_t11 \
	REQUIRE="mm_page_alloc mm_page_free mm_page_free_batched" \
		record t11_two_buffers_nokallsyms.dat nokallsyms \
		-b $BUF_KB "${EV3[@]}" -B x -b $BUF_KB "${EV3[@]}"
	restore_tracefs || die "cannot clean up instance x"
fi

# --- damaged files for error tests ------------------------------------------

if wanted bad_no_kmem_nokallsyms.dat; then
	# A valid recording without any kmem event (nor kmem event format).
	WL=/bin/true REQUIRE=sched_process_exec CHECK=check_no_kmem MAX_BYTES=1000000 \
		record bad_no_kmem_nokallsyms.dat nokallsyms -e sched:sched_process_exec
fi

if wanted bad_truncated_v6.dat; then
	src=$out/t01_v6_nokallsyms.dat
	[ -f "$src" ] || die "bad: $src is needed to make bad_truncated_v6.dat"
	# Cut the file in the middle of the CPU0 data (v6 flyrecord).
	read -r cpu_off cpu_size < <(trace-cmd report --stat "$src" |
		awk '/^CPU0 data recorded at offset=/ {
			sub(/.*offset=/, ""); off = $0
			getline; print off, $1; exit }')
	if ! [[ ${cpu_off:-} =~ ^0x[0-9a-f]+$ && ${cpu_size:-} =~ ^[1-9][0-9]*$ ]]; then
		die "bad: no CPU0 data in $src"
	fi
	head -c $((cpu_off + cpu_size / 2)) "$src" >"$out/bad_truncated_v6.dat"
fi

if wanted bad_not_tracedat.dat; then
	cat >"$out/bad_not_tracedat.dat" <<'EOF'
This file is plain text and not a trace-cmd recording. It exists so that the
tests can check how pagecheck-replay reports a file that lacks the trace.dat
magic bytes at its start (0x17 0x08 0x44 followed by "tracing"). A reader
must reject it with a clear message and a non-zero exit status, without
crashing and without printing a report that looks like a clean run.
EOF
fi

# --- summary ---------------------------------------------------------------

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "kernel: $(uname -r -v) $(uname -m), $(nproc) CPUs"
echo "trace-cmd: $(trace-cmd --version 2>/dev/null | awk '/version/ { print $3; exit }')"
if command -v dpkg-query >/dev/null; then
	dpkg-query -W -f '${Package} ${Version}\n' trace-cmd libtracecmd1 \
		libtraceevent1 libtracefs1 2>/dev/null || true
fi
echo
for f in "$out"/t*.dat "$out"/bad_no_kmem*.dat; do
	[ -f "$f" ] || continue
	n=$(basename "$f")
	wanted "$n" || continue
	echo "## $n ($(stat -c %s "$f") bytes)"
	trace-cmd dump --summary -i "$f" 2>/dev/null |
		awk '/\[Version\]/ { v = $1 }
		     /\[Compression algorithm\]/ { c = $1 }
		     /\[Kallsyms, / { k = $2 }
		     END { printf "  file version %s, compression %s, kallsyms %s bytes\n",
				  v, (c == "" ? "none" : c), (k == "" ? "?" : k) }'
	echo "  events (buffer event count):"
	count_events "$f" | sed 's/^/    /'
	echo "  failed allocations (pfn=0xffffffffffffffff): $(failed_allocs "$f")"
	echo "  loss check (buffer cpu stat records lost noticed):"
	loss_table "$f" | sed 's/^/    /'
	if loss_ok "$f"; then
		echo "  loss check passes"
	else
		echo "  loss check FAILS$(loss_shown "$f" && echo " (events lost: overrun and EVENTS DROPPED notices)")"
	fi
done
