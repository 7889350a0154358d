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
# Each recording is then checked for silent loss: for every buffer and CPU,
# the kernel counters stored in the file (entries + read events, from
# "trace-cmd report --stat") must equal the records the file holds (from
# "trace-cmd report -R"). On the 6.18 kernel used, the counters sometimes
# exceed the records by up to about a page of events with nothing lost
# (see README.md); the test files must pass the check all the same, so a
# recording that fails it is made again, up to TRIES times. So is one with
# more than MAX_PAGE_EVENTS page events (every recording is system-wide:
# other activity on the machine ends up in it too) and one that lacks an
# event type it must show.
#
# trace-cmd is started with setsid so that recorder children that outlive
# it (they do when trace-cmd crashes) can be found by session id and killed.
#
# Compressed, /proc/kallsyms alone is about 1 MB on the kernel used, and
# 5.4 MB in v6 or uncompressed v7 files. Only the stack recording keeps it;
# every other recording runs in a private mount namespace with /dev/null
# bound over /proc/kallsyms and has "nokallsyms" in its name.
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

cleanup()
{
	# Only processes of the session we started.
	if [ -n "$cur_sid" ] && pgrep -s "$cur_sid" >/dev/null; then
		kill -- -"$cur_sid" 2>/dev/null || true
	fi
	if [ -n "$cur_tmp" ]; then
		rm -f "$cur_tmp" "$cur_tmp".*
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

# loss_table FILE: one line per buffer and CPU: "BUF CPU STAT RECORDS".
# BUF is "top" for the top-level buffer. STAT is entries + read events
# from the counters stored in the file ("-" when the file has none).
loss_table()
{
	local f=$1

	{
		trace-cmd report --stat "$f" |
			awk '/^Buffer: / { b = $2 }
			     /^CPU: / { c = $2 }
			     /^entries: / { e = $2 }
			     /^read events: / { print "S", (b == "" ? "top" : b), c, e + $3 }'
		trace-cmd report -R "$f" |
			awk 'match($0, /\[[0-9]+\]/) {
				b = ($1 ~ /:$/) ? substr($1, 1, length($1) - 1) : "top"
				print "R", b, substr($0, RSTART + 1, RLENGTH - 2) + 0
			     }' | sort | uniq -c | awk '{ print $2, $3, $4, $1 }'
	} | awk '$1 == "S" { s[$2 " " $3] = $4; k[$2 " " $3] = 1 }
		 $1 == "R" { r[$2 " " $3] = $4; k[$2 " " $3] = 1 }
		 END { for (x in k)
			print x, (x in s ? s[x] : "-"), (x in r ? r[x] : 0) }' | sort
}

# loss_ok FILE: every buffer and CPU with stored counters matches.
loss_ok()
{
	loss_table "$1" | awk '$3 != "-" && $3 != $4 { bad = 1 } END { exit bad }'
}

# count_events FILE: "BUF EVENT COUNT" from the text of trace-cmd report.
count_events()
{
	trace-cmd report "$1" |
		awk '{
			b = ($1 ~ /:$/) ? substr($1, 1, length($1) - 1) : "top"
			for (i = 1; i < NF - 1; i++)
				if ($i ~ /^\[[0-9]+\]$/) {
					e = $(i + 2)
					sub(/:$/, "", e)
					n[b " " e]++
					break
				}
		     }
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

# record NAME KALLSYMS TRACE-CMD-RECORD-ARGS...
#   KALLSYMS is "kallsyms" to keep /proc/kallsyms, "nokallsyms" to hide it.
#   WL_ARGS (arguments of wl.sh) and REQUIRE (event names that must have
#   records) may be set for the call.
record()
{
	local name=$1 ks=$2 dst=$out/$1 tmp=$out/.rec-$1 err=$work/record.err
	local try rc cmd n ev missing
	local -a wl_args
	shift 2
	read -r -a wl_args <<<"${WL_ARGS:-}"
	cur_tmp=$tmp

	for ((try = 1; try <= TRIES; try++)); do
		wait_for_other_tracecmd
		rm -f "$tmp" "$tmp".cpu* "$tmp".*
		sync

		cmd=(trace-cmd record -d --no-filter -o "$tmp" "$@" -- "$work/wl.sh"
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

		if ! loss_ok "$tmp"; then
			note "$name: loss check failed (buffer cpu stat records):"
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
		mv -f "$tmp" "$dst"
		rm -f "$tmp".*
		cur_tmp=
		return 0
	done
	die "$name: no usable recording after $TRIES tries"
}

# --- the recordings --------------------------------------------------------

instance_dir=$TRACEFS/instances/$INSTANCE

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
	[ ! -e "$instance_dir" ] ||
		die "instance $INSTANCE exists ($instance_dir); remove it (rmdir) if it is a leftover of this script"
	record t05_instance_nokallsyms.dat nokallsyms -B $INSTANCE -b $BUF_KB "${EV3[@]}"
	if [ -d "$instance_dir" ]; then
		echo > "$instance_dir/set_event"
		rmdir "$instance_dir" || die "cannot remove instance $instance_dir"
	fi
	count_events "$out/t05_instance_nokallsyms.dat" |
		awk '$1 == "top" && $2 ~ /^mm_page/ { exit 1 }' ||
		die "t05: the top-level buffer holds kmem events"
fi

if wanted t06; then
	record t06_stack_v7zstd.dat kallsyms -T -b $BUF_KB "${EV3[@]}"
fi

if wanted t07; then
	record t07_nokallsyms_v6.dat nokallsyms --file-version 6 -b $BUF_KB "${EV3[@]}"
fi

if wanted t08; then
	WL_ARGS=1 REQUIRE="mm_page_alloc_zone_locked mm_page_pcpu_drain" \
		record t08_all5_v7zstd_nokallsyms.dat nokallsyms -b $BUF_KB "${EV5[@]}"
fi

# --- damaged files for error tests ------------------------------------------

if wanted bad; then
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
for f in "$out"/t*.dat; do
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
	echo "  loss check (buffer cpu stat records):"
	loss_table "$f" | sed 's/^/    /'
done
