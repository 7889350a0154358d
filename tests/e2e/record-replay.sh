#!/bin/bash
# record-replay.sh - 'pagecheck-replay record' writes a trace.dat that trace-cmd reads and whose
# replay gives the counters of the independent oracle (compare-counters.sh: trace-cmd report
# through awk), with and without --stacks, for a COMMAND, a --duration, a SIGTERM, and a 4 KiB
# buffer that overflows (exit 3, the file kept, its replay inconclusive too); it leaves no
# instance, no trace-cmd and no temporary file behind; and when trace-cmd fails (fake trace-cmds
# through TRACE_CMD: one that fails, one that claims the locked-down exit without a file, one
# that crashes and leaves a recorder running) it exits 2, writes no file, and cleans up.
#
# Usage: record-replay.sh BINARY
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/tracing-lib.sh"
bin=$1
need_tracing

tmp=$(mktemp -d "${TMPDIR:-/tmp}/record-replay.XXXXXX")
cleanup() {
	pkill -KILL -f "^$tmp/fake/rec/trace-cmd" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# run_record ARGS...: pagecheck-replay record ARGS, stderr in $tmp/err; sets rc and pid.
run_record() {
	"$bin" record "$@" 2>"$tmp/err" &
	pid=$!
	wait "$pid"
	rc=$?
}

# clean_after WHAT: nothing of the recording made by $pid may be left.
clean_after() {
	local left
	left=$(left_behind "pagecheck-replay-$pid")
	[ -z "$left" ] || fail "$1: left behind: $left"
	left=$(ls -A "$tmp/out")
	[ -z "$left" ] || fail "$1: files left: $left"
}

# recorded NAME STATUS [WANT]: the recording exists and replays as the oracle counts it; with
# WANT, record and the replay must both have exited with WANT.
recorded() {
	local name=$1 rc=$2 want=${3:-}
	if [ -n "$want" ] && [ "$rc" -ne "$want" ]; then
		fail "$name: record exited with $rc, expected $want"
	fi
	case $rc in
	0 | 3) ;;
	*)
		sed 's/^/  record: /' "$tmp/err"
		fail "$name: record exited with $rc"
		return
		;;
	esac
	[ -s "$tmp/out/r.dat" ] || { fail "$name: no file"; return; }
	trace-cmd report "$tmp/out/r.dat" >/dev/null 2>"$tmp/report.err" ||
		fail "$name: trace-cmd report cannot read it: $(head -c 300 "$tmp/report.err")"
	"$here/compare-counters.sh" "$bin" "$tmp/out/r.dat" || fail "$name: counters differ"
	if [ -n "$want" ]; then
		"$bin" --stats --show-undecidable --examples=all -q "$tmp/out/r.dat" >/dev/null 2>&1
		local replay_rc=$?
		[ "$replay_rc" -eq "$want" ] ||
			fail "$name: the replay exited with $replay_rc, expected $want"
	fi
	echo "$name: exit $rc; $(grep 'pagecheck-replay record: .*: trace.dat' "$tmp/err" |
		sed 's/.*buffer [^:]*: //; s/; replay.*//')"
	grep 'lost from the recording' "$tmp/err"
	rm -f "$tmp/out/r.dat"
	clean_after "$name"
}

mkdir "$tmp/out"
churner="$tmp/churn.sh"
printf '#!/bin/bash\n. %q\nchurn "$1"\n' "$here/tracing-lib.sh" >"$churner"
chmod +x "$churner"

# record NAME WANT ARGS...: a recording with ARGS (WANT: the exit status it must have, or ""),
# again (up to 3 tries) when trace-cmd itself could
# not write the file: libtracecmd fails now and then with "error in size of file
# '.../saved_cmdlines'" when the kernel changes that file while it is copied (record then
# rightly exits 2, "cannot be read back").
record() {
	local name=$1 want=$2 try
	shift 2
	for try in 1 2 3; do
		run_record "$@"
		if [ "$rc" -eq 2 ] && grep -q '^libtracecmd: ' "$tmp/err"; then
			echo "note: $name: trace-cmd failed to write the file (try $try): $(grep -A1 '^libtracecmd: ' "$tmp/err" | tr '\n' ' ')"
			clean_after "$name (try $try)"
			continue
		fi
		break
	done
	recorded "$name" "$rc" "$want"
}

record "COMMAND" "" -o "$tmp/out/r.dat" -- "$churner" 1
record "--stacks COMMAND" "" --stacks -o "$tmp/out/r.dat" -- "$churner" 1
record "--duration" "" --duration=1 -o "$tmp/out/r.dat"

# SIGTERM to record alone (not to its process group, as Ctrl-C would) ends COMMAND and the
# recording, which is complete.
"$bin" record -o "$tmp/out/r.dat" -- sleep 617 2>"$tmp/err" &
pid=$!
wait_for 120 test -d "$TRACEFS/instances/pagecheck-replay-$pid" && sleep 1
kill -TERM "$pid"
wait "$pid"
recorded "SIGTERM" $?
! pgrep -fx "sleep 617" >/dev/null || fail "SIGTERM: COMMAND still runs"

# Too small a buffer: the kernel overwrites events; the file is kept and both say so (exit 3).
record "4 KiB buffer" 3 --buffer-kb=4 -o "$tmp/out/r.dat" -- "$churner" 1

# Fake trace-cmds: each fails in its own way, and nothing may be written or left.
mkdir -p "$tmp/fake/rec"
cp /bin/sleep "$tmp/fake/rec/trace-cmd"
cat >"$tmp/fake/lockdown-exit" <<'EOF'
#!/bin/bash
# Claims trace-cmd's locked-down exit, but writes no file.
while [ $# -gt 0 ] && [ "$1" != -B ]; do shift; done
echo "trace-cmd: Operation not permitted" >&2
echo "  opening to '/sys/kernel/tracing/instances/$2/set_ftrace_filter'" >&2
exit 1
EOF
cat >"$tmp/fake/crash" <<EOF
#!/bin/bash
# Creates the instance, starts a "recorder" that outlives it, then crashes.
while [ \$# -gt 0 ] && [ "\$1" != -B ]; do shift; done
mkdir "$TRACEFS/instances/\$2"
"$tmp/fake/rec/trace-cmd" 300 &
# A real recorder is a fork of trace-cmd, named so from the start: wait for the exec.
while [ "\$(cat /proc/\$!/comm)" != trace-cmd ]; do sleep 0.01; done
kill -SEGV \$\$
EOF
chmod +x "$tmp/fake/lockdown-exit" "$tmp/fake/crash"

# fake_fails NAME TRACE_CMD STDERR_FRAGMENT
fake_fails() {
	TRACE_CMD=$2 run_record -o "$tmp/out/r.dat" -- true
	[ "$rc" -eq 2 ] || fail "$1: record exited with $rc, expected 2"
	grep -qF -- "$3" "$tmp/err" || fail "$1: stderr lacks '$3': $(tail -c 300 "$tmp/err")"
	if pgrep -f "^$tmp/fake/rec/trace-cmd" >/dev/null; then
		fail "$1: the leftover recorder still runs"
	fi
	clean_after "$1"
	echo "$1: exit $rc"
}
fake_fails "trace-cmd fails" /bin/false "trace-cmd record failed with exit status 1"
fake_fails "exit 1 without a file" "$tmp/fake/lockdown-exit" "cannot be read back"
fake_fails "crash" "$tmp/fake/crash" "killed by Segmentation fault"

if [ "$fails" -ne 0 ]; then
	echo "record-replay: $fails failure(s)"
	exit 1
fi
echo "record-replay: ok"
