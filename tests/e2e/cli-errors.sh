#!/bin/bash
# cli-errors.sh - golden tests of the command line's answers to bad input and bad usage: each
# case is a command, the exit status it must give, and a piece of the one-line message it must
# print on stderr. Nothing may be printed on stdout for an error, and nothing may crash.
#
# Usage: cli-errors.sh BINARY TESTDATA_DIR
set -uo pipefail

bin=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
cases=0

# expect STATUS STDERR_FRAGMENT ARGS...
expect() {
	local want=$1 fragment=$2 status
	shift 2
	cases=$((cases + 1))
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -ne "$want" ]; then
		echo "FAIL: '$*' exited $status, expected $want; stderr: $(head -c 300 "$tmp/err")"
		fails=$((fails + 1))
	elif [ -n "$fragment" ] && ! grep -qF -- "$fragment" "$tmp/err"; then
		echo "FAIL: '$*' stderr lacks '$fragment': $(head -c 300 "$tmp/err")"
		fails=$((fails + 1))
	elif [ "$want" -eq 2 ] && [ -s "$tmp/out" ]; then
		echo "FAIL: '$*' printed on stdout for an error: $(head -c 300 "$tmp/out")"
		fails=$((fails + 1))
	fi
}

good=$data/t02_v7zstd_nokallsyms.dat
printf 'this is not a recording\n' >"$tmp/text.dat"
: >"$tmp/empty.dat"
head -c 100000 "$data/t01_v6_nokallsyms.dat" >"$tmp/trunc_v6.dat"
head -c 20000 "$good" >"$tmp/trunc_v7.dat"
mkdir "$tmp/dir.dat"
# A v7 header naming a codec no libtracecmd has (the name sits at offset 18).
cp "$good" "$tmp/lz4x.dat"
printf 'lz4x' | dd of="$tmp/lz4x.dat" bs=1 seek=18 conv=notrunc status=none

# No FILE: trace.dat of the current directory, as trace-cmd report reads; here there is none.
cd "$tmp" || exit 1
expect 2 "no trace.dat in the current directory"
cd - >/dev/null || exit 1
expect 2 "one recording at a time" "$good" "$good"
expect 2 "unknown option" --no-such-option "$good"
expect 2 "--model takes" --model=linux "$good"
expect 2 "--running-from takes" --running-from=1e3 "$good"
expect 2 "--running-from takes" --running-from=-1 "$good"
expect 2 "--pfn-range takes" --pfn-range=20-10 "$good"
expect 2 "--pfn-range takes" --pfn-range=10 "$good"
expect 2 "--max-reports takes" --max-reports=x "$good"
expect 2 "cannot open: No such file" "$tmp/missing.dat"
expect 2 "not a regular file" "$tmp/dir.dat"
expect 2 "not a trace-cmd trace.dat" "$tmp/text.dat"
expect 2 "not a trace-cmd trace.dat" "$tmp/empty.dat"
expect 2 "truncated or corrupt" "$tmp/trunc_v6.dat"
expect 2 "truncated or corrupt" "$tmp/trunc_v7.dat"
expect 2 "compressed with lz4x" "$tmp/lz4x.dat"
expect 2 "no buffer named 'nosuch'" --buffer=nosuch "$good"
expect 2 "truncated or corrupt" "$data/bad_truncated_v6.dat"
expect 2 "not a trace-cmd trace.dat" "$data/bad_not_tracedat.dat"
expect 2 "no kmem:mm_page_alloc or kmem:mm_page_free" "$data/bad_no_kmem_nokallsyms.dat"
expect 2 "page events in buffers 'top' and 'x'" "$data/t11_two_buffers_nokallsyms.dat"
expect 2 "no buffer named 'y'; the recording has: top, x" --buffer=y \
	"$data/t11_two_buffers_nokallsyms.dat"
expect 3 "lost" "$data/t10_overrun_nokallsyms.dat"
expect 0 "" --help
expect 0 "" --version

echo "cli-errors: $((cases - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
