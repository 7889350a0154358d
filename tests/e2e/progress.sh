#!/bin/bash
# progress.sh - the progress line: on a terminal it shows and is erased; otherwise nothing.
#
# Usage: progress.sh BINARY RECORDING
#
# PAGECHECK_REPLAY_PROGRESS_MS=0 makes the line update at every event, so that a small
# recording shows it too. script(1) gives the replay a terminal.
set -uo pipefail
here=$(dirname "$0")
# shellcheck source=testlib.sh
. "$here/testlib.sh"

bin=$1
rec=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" --quiet "$rec" >"$tmp/plain.out" 2>"$tmp/plain.err"
plain=$?
PAGECHECK_REPLAY_PROGRESS_MS=0 "$bin" --quiet "$rec" >"$tmp/file.out" 2>"$tmp/file.err"
status=$?
check "not a terminal: standard error stays empty" "[ ! -s '$tmp/file.err' ]"
check "not a terminal: the same report" "cmp -s '$tmp/plain.out' '$tmp/file.out'"
check "not a terminal: the same exit status ($status vs $plain)" "[ $status = $plain ]"

command -v script >/dev/null || { finish progress; exit $?; }
PAGECHECK_REPLAY_PROGRESS_MS=0 script -qec "'$bin' --quiet '$rec' 2>'$tmp/tty.err' >/dev/null" \
	/dev/null >/dev/null 2>&1 </dev/null
# script gives the command a terminal on all three streams; the redirections above keep
# standard error in a file, so the terminal test is made with standard error left alone:
PAGECHECK_REPLAY_PROGRESS_MS=0 script -qec "'$bin' --quiet '$rec' >/dev/null" /dev/null \
	>"$tmp/tty.out" 2>&1 </dev/null
check "a terminal: the progress line shows" \
	"grep -aq 'pagecheck-replay: [0-9.]* M events, [0-9]*%, [0-9.]* M events/s' '$tmp/tty.out'"
check "a terminal: the line is erased at the end" \
	"[ \"\$(tail -c 4 '$tmp/tty.out' | od -An -c | tr -d ' ')\" = '\\r033[K' ]"
check "redirected inside a terminal session: nothing" "[ ! -s '$tmp/tty.err' ]"
finish progress
