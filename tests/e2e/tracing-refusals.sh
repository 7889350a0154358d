#!/bin/bash
# tracing-refusals.sh - 'live' and 'record' refuse, with exit 2, nothing on stdout, one line on
# stderr saying what to do, and no instance created, when the kernel cannot be traced: tracefs
# not mounted (a private mount namespace without it, or --tracefs naming a plain directory), no
# permission (run as nobody), an event missing (an empty directory bound over its tracefs
# directory in a private mount namespace), or kernel stacks unavailable with --stacks; and on
# bad usage. The mount namespaces are unshare(1)'s, private: the machine's mounts are untouched.
#
# Usage: tracing-refusals.sh BINARY
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/tracing-lib.sh"
bin=$(realpath "$1")
need_tracing

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracing-refusals.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/empty" "$tmp/plain"
fails=0
cases=0

# expect FRAGMENT COMMAND...: exit 2, FRAGMENT on stderr, nothing on stdout, no instance made.
expect() {
	local fragment=$1 rc pid
	shift
	cases=$((cases + 1))
	# In the background for its pid: unshare, sh and setpriv exec the binary in theirs.
	"$@" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	wait "$pid"
	rc=$?
	if [ "$rc" -ne 2 ]; then
		echo "FAIL: '$*' exited $rc, expected 2; stderr: $(head -c 300 "$tmp/err")"
		fails=$((fails + 1))
	elif ! grep -qF -- "$fragment" "$tmp/err"; then
		echo "FAIL: '$*' stderr lacks '$fragment': $(head -c 300 "$tmp/err")"
		fails=$((fails + 1))
	elif [ -s "$tmp/out" ]; then
		echo "FAIL: '$*' printed on stdout: $(head -c 300 "$tmp/out")"
		fails=$((fails + 1))
	elif [ -n "$(left_behind "pagecheck-replay-$pid")" ]; then
		echo "FAIL: '$*' left behind: $(left_behind "pagecheck-replay-$pid")"
		fails=$((fails + 1))
	fi
}

# in_namespace SETUP COMMAND...: COMMAND in a private mount namespace after the shell SETUP.
in_namespace() {
	local setup=$1
	shift
	exec unshare -m --propagation private sh -c "$setup"' && exec "$@"' sh "$@"
}

for cmd in "live --duration=1" "record -o $tmp/r.dat --duration=1"; do
	# shellcheck disable=SC2086 # $cmd holds the command and its options
	set -- $cmd
	expect "is not a tracefs mount" "$bin" "$@" --tracefs="$tmp/plain"
	expect "tracefs is not mounted" in_namespace \
		"umount $TRACEFS && { umount -l /sys/kernel/debug 2>/dev/null; true; }" "$bin" "$@"
	expect "no kmem:mm_page_alloc tracepoint" in_namespace \
		"mount --bind $tmp/empty $TRACEFS/events/kmem/mm_page_alloc" "$bin" "$@"
	expect "cannot record a kernel stack" in_namespace \
		"mount --bind $tmp/empty $TRACEFS/options" "$bin" "$@" --stacks
	if setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" --version >/dev/null 2>&1; then
		expect "no permission" setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$bin" "$@"
	else
		echo "note: nobody cannot run $bin; the permission case of '$1' is not tested"
	fi
done
[ ! -e "$tmp/r.dat" ] || { echo "FAIL: a refused record wrote a file"; fails=$((fails + 1)); }

expect "--events must include mm_page_alloc and mm_page_free" "$bin" live --events=mm_page_free
expect "is not a kmem page event" "$bin" live --events=mm_page_alloc,mm_page_free,kfree
expect "--duration takes" "$bin" live --duration=0
expect "--buffer-kb takes" "$bin" live --buffer-kb=0
expect "unexpected argument" "$bin" live now
expect "an empty -o" "$bin" record -o "" -- true
expect "exclude each other" "$bin" record -o "$tmp/r.dat" --duration=1 -- true
expect "--buffer-kb takes" "$bin" record -o "$tmp/r.dat" --buffer-kb=x -- true

echo "tracing-refusals: $((cases - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
