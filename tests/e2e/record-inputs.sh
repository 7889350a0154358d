#!/bin/bash
# record-inputs.sh - what 'pagecheck-replay record' says and does (issue 18):
# - an output directory that does not exist, and a COMMAND that does not exist, is not
#   executable or is not on the PATH: exit 2 before trace-cmd starts, naming the cause, no file
#   written;
# - without -o it writes trace.dat in the current directory, which a bare 'pagecheck-replay'
#   then replays (the report of 'pagecheck-replay trace.dat'); -T and -b are --stacks and
#   --buffer-kb (stacks in the file, the KiB in the message);
# - a COMMAND that fails (exit 1, exit 7, SIGSEGV) is reported with its status and record exits
#   4, the file kept and readable;
# - the undecided hint names 'pagecheck-replay record --stacks' for a file record made without
#   stacks, and the trace-cmd command line the hint gives for other files records here (this
#   kernel refuses plain 'trace-cmd record -T'): its file replays with kernel stacks.
#
# Usage: record-inputs.sh BINARY TESTDATA_DIR
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=$1
data=$2
. "$here/tracing-lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/record-inputs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cases=0

# refused NAME FRAGMENT ARGS...: record ARGS exits 2 with FRAGMENT on stderr, and writes nothing.
refused() {
	local name=$1 fragment=$2 rc
	shift 2
	cases=$((cases + 1))
	(cd "$tmp/cwd" && "$bin" record "$@" >/dev/null 2>"$tmp/err")
	rc=$?
	if [ "$rc" -ne 2 ]; then
		fail "$name: exit $rc, expected 2: $(head -c 300 "$tmp/err")"
	elif ! grep -qF -- "$fragment" "$tmp/err"; then
		fail "$name: stderr lacks '$fragment': $(head -c 300 "$tmp/err")"
	elif grep -q "recording into" "$tmp/err"; then
		fail "$name: refused only after starting trace-cmd: $(head -c 300 "$tmp/err")"
	elif [ -n "$(ls -A "$tmp/cwd")" ]; then
		fail "$name: wrote $(ls -A "$tmp/cwd")"
	fi
}

need_tracing
mkdir "$tmp/cwd" "$tmp/noexec"
printf '#!/bin/sh\n' >"$tmp/noexec/script"
refused "missing directory" "cannot write $tmp/no/such/x.dat: directory $tmp/no/such does not exist" \
	-o "$tmp/no/such/x.dat" -- true
refused "missing command" "cannot run COMMAND $tmp/no/such/cmd: No such file or directory" \
	-o "$tmp/cwd/x.dat" -- "$tmp/no/such/cmd"
refused "not executable" "cannot run COMMAND $tmp/noexec/script: not executable" \
	-o "$tmp/cwd/x.dat" -- "$tmp/noexec/script"
refused "not on the PATH" "COMMAND no-such-command-18 not found on the PATH" \
	-o "$tmp/cwd/x.dat" -- no-such-command-18
refused "output is a directory" "$tmp/noexec is a directory" -o "$tmp/noexec" -- true

# rec NAME WANT FRAGMENT ARGS...: record ARGS in $tmp/NAME (its cwd) exits WANT, with FRAGMENT.
rec() {
	local name=$1 want=$2 fragment=$3 rc
	shift 3
	cases=$((cases + 1))
	mkdir -p "$tmp/$name"
	(cd "$tmp/$name" && "$bin" record "$@" >/dev/null 2>"$tmp/$name.err")
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name: exit $rc, expected $want: $(tail -c 400 "$tmp/$name.err")"
	elif ! grep -qF -- "$fragment" "$tmp/$name.err"; then
		fail "$name: stderr lacks '$fragment': $(tail -c 400 "$tmp/$name.err")"
	fi
}

# No -o: trace.dat here; -T and -b as in trace-cmd.
rec default 0 "recording into trace.dat (instance pagecheck-replay-" -T -b 8192 -- \
	dd if=/dev/zero of=/dev/shm/record-inputs.$$ bs=1M count=32 status=none
rm -f /dev/shm/record-inputs.$$
cases=$((cases + 2))
grep -qF "8192 KiB per CPU" "$tmp/default.err" || fail "-b 8192: $(head -c 300 "$tmp/default.err")"
if [ -f "$tmp/default/trace.dat" ]; then
	(cd "$tmp/default" && "$bin" trace.dat >"$tmp/named.out" 2>&1; echo $? >>"$tmp/named.out"
	 "$bin" >"$tmp/bare.out" 2>&1; echo $? >>"$tmp/bare.out")
	cmp -s "$tmp/named.out" "$tmp/bare.out" || fail "bare replay is not 'pagecheck-replay trace.dat'"
	stacks=$(trace-cmd report "$tmp/default/trace.dat" 2>/dev/null | grep -c '<stack trace')
	[ "$stacks" -gt 0 ] || fail "-T: trace-cmd report shows no stack in the file"
else
	fail "record without -o wrote no trace.dat"
fi

# A failing COMMAND: its status, exit 4, the file kept.
rec false 4 "COMMAND false failed with exit status 1; the recording covers its run" -- false
rec exit7 4 "COMMAND sh failed with exit status 7" -o r.dat -- sh -c 'exit 7'
rec segv 4 "COMMAND sh was killed by signal 11" -o r.dat -- sh -c 'kill -SEGV $$'
for name in false exit7 segv; do
	cases=$((cases + 1))
	f=$(ls "$tmp/$name"/*.dat 2>/dev/null | head -1)
	if [ -z "$f" ] || ! trace-cmd report "$f" >/dev/null 2>&1; then
		fail "$name: no readable recording kept"
	fi
done
rec true 0 "replay it with: pagecheck-replay r.dat" -o r.dat -- true
cases=$((cases + 1))
! grep -q "COMMAND" "$tmp/true.err" || fail "true: $(grep COMMAND "$tmp/true.err")"

# The hint of a file record made without stacks: record --stacks. A fork and exec loop gives
# double-alloc candidates of page directories, undecidable without stacks.
rec nostacks 0 "replay it with" -o r.dat -- sh -c \
	'for i in $(seq 300); do /bin/true; done; dd if=/dev/zero of=/dev/shm/ri.$$ bs=1M count=64 status=none; rm -f /dev/shm/ri.$$'
"$bin" "$tmp/nostacks/r.dat" >/dev/null 2>"$tmp/nostacks.replay"
if grep -q "are undecidable" "$tmp/nostacks.replay"; then
	cases=$((cases + 1))
	grep -qF "record again with pagecheck-replay record --stacks -- COMMAND (this recording was made by pagecheck-replay record without --stacks)" \
		"$tmp/nostacks.replay" || fail "hint of a record file: $(grep -o 'To decide.*' "$tmp/nostacks.replay")"
else
	echo "note: the recording without stacks has no undecidable candidate: its hint is not shown"
fi

# The trace-cmd command line of the hint for other files, run as given.
hint=$("$bin" "$data/w01_same_all.dat" 2>&1 >/dev/null |
	grep -o '(or trace-cmd record [^)]*COMMAND)' | sed 's/^(or //; s/ COMMAND)$//')
cases=$((cases + 1))
if [ -z "$hint" ]; then
	fail "w01_same_all.dat: no trace-cmd command line in the hint"
else
	mkdir "$tmp/hint"
	(cd "$tmp/hint" && $hint sh -c 'for i in $(seq 50); do /bin/true; done' \
		>"$tmp/hint.log" 2>&1)
	rc=$?
	# trace-cmd 3.1 exits 1 at its cleanup on a locked-down kernel, after writing the file.
	if [ "$rc" -gt 1 ] || [ ! -s "$tmp/hint/trace.dat" ]; then
		fail "'$hint': exit $rc: $(tail -c 300 "$tmp/hint.log")"
	else
		"$bin" --stats "$tmp/hint/trace.dat" >"$tmp/hint.out" 2>/dev/null
		rc=$?
		records=$(awk '/^stack_records:/ { print $2 }' "$tmp/hint.out")
		if [ "$rc" -eq 2 ] || [ "${records:-0}" -eq 0 ]; then
			fail "the hint's recording: replay exit $rc, stack_records ${records:-none}"
		fi
		echo "hint: '$hint COMMAND' recorded $records stacks, replay exit $rc"
	fi
fi

echo "record-inputs: $((cases - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
