#!/bin/bash
# live-signal.sh - 'pagecheck-replay live' ends cleanly on SIGINT, SIGTERM and SIGHUP, on a
# closed output, and after losing events: it prints the summary (or fails with exit 2 when it
# cannot), exits 3 when a 4 KiB buffer overflowed under page churn, and its tracefs instance
# (pagecheck-replay-PID) is gone afterwards in every case.
#
# Usage: live-signal.sh BINARY
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/tracing-lib.sh"
bin=$1
need_tracing

tmp=$(mktemp -d "${TMPDIR:-/tmp}/live-signal.XXXXXX")
lp=
cleanup() {
	[ -z "$lp" ] || kill -TERM "$lp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

for sig in INT TERM HUP; do
	# Started on its own, so that $! is live itself (SIGINT is ignored in background jobs of a
	# script until live installs its handler, which it does before creating the instance).
	rm -f "$tmp/out" "$tmp/err"
	"$bin" live -q >"$tmp/out" 2>"$tmp/err" &
	lp=$!
	inst=$TRACEFS/instances/pagecheck-replay-$lp
	if ! wait_for 120 grep -q "tracing in instance" "$tmp/err" 2>/dev/null ||
	   [ ! -d "$inst" ]; then
		fail "SIG$sig: live did not start tracing in $inst"
		sed 's/^/  live: /' "$tmp/err"
		kill -TERM "$lp"
		wait "$lp"
		lp=
		continue
	fi
	churn 1
	kill -"$sig" "$lp"
	wait "$lp"
	rc=$?
	lp=
	case $rc in
	0 | 1 | 3) ;;
	*) fail "SIG$sig: live exited with $rc" ;;
	esac
	grep -q '^verdict: ' "$tmp/out" || fail "SIG$sig: no summary"
	grep -q 'stopped by' "$tmp/err" || fail "SIG$sig: no 'stopped by' on stderr"
	[ ! -e "$inst" ] || fail "SIG$sig: $inst is still there"
	echo "SIG$sig: exit $rc, $(grep -c '' "$tmp/out") lines, $(grep '^events_mm_page_alloc:' "$tmp/out")"
done

# A closed output: the summary cannot be written (exit 2), and the instance still goes.
{
	"$bin" live --duration=1 -q 2>"$tmp/err" &
	echo $! >"$tmp/pid"
	wait $!
} | true
rc=${PIPESTATUS[0]}
[ "$rc" -eq 2 ] || fail "closed output: live exited with $rc, expected 2"
grep -q 'cannot write the report' "$tmp/err" || fail "closed output: no error message"
left=$(left_behind "pagecheck-replay-$(cat "$tmp/pid")")
[ -z "$left" ] || fail "closed output: left behind: $left"

# A buffer far too small for the churn: the kernel overwrites events, live says so (exit 3).
"$bin" live --buffer-kb=4 --duration=2 -q >"$tmp/out" 2>"$tmp/err" &
lp=$!
wait_for 120 grep -q "tracing in instance" "$tmp/err" 2>/dev/null
churn 1
wait "$lp"
rc=$?
left=$(left_behind "pagecheck-replay-$lp")
[ -z "$left" ] || fail "4 KiB buffer: left behind: $left"
lp=
[ "$rc" -eq 3 ] || fail "4 KiB buffer: live exited with $rc, expected 3"
grep -q 'larger --buffer-kb' "$tmp/err" || fail "4 KiB buffer: no advice on stderr"
echo "4 KiB buffer: exit $rc, $(grep '^lost_events:' "$tmp/out")"

if [ "$fails" -ne 0 ]; then
	echo "live-signal: $fails failure(s)"
	exit 1
fi
echo "live-signal: ok"
