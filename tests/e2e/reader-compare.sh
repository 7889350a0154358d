#!/bin/bash
# reader-compare.sh - our flyrecord reader and libtracecmd's iterator, each read on the replaying
# thread or on a thread of its own, must give the same run.
#
# Usage: reader-compare.sh BINARY RECORDING [OPTION...]
#
# Replays RECORDING with --reader=flyrecord (ours only: a file it would hand to libtracecmd is
# an error, so this cannot pass by falling back) on one thread, on two (--threads: uncompressed
# data read ahead by the replaying thread too) and on three and four (one and two inflater
# threads read and decompress ahead), and with
# --reader=libtracecmd on two, in the text report with every block and stack, in the kernel
# model with the validate scan, and as JSON; standard output, standard error and the exit status
# must be byte-identical to those of flyrecord on one thread.
set -uo pipefail
here=$(dirname "$0")
# shellcheck source=testlib.sh
. "$here/testlib.sh"

bin=$1
rec=$2
shift 2
[ -f "$rec" ] || { echo "no recording $rec"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for opts in "--show-explained" "--show-explained --model=kernel --validate" "--format=json"; do
	for run in flyrecord:1 flyrecord:2 flyrecord:3 flyrecord:4 libtracecmd:2; do
		# shellcheck disable=SC2086
		"$bin" --reader=${run%:*} --threads=${run#*:} $opts "$@" "$rec" \
			>"$tmp/$run.out" 2>"$tmp/$run.err"
		echo $? >"$tmp/$run.status"
		# Under ASan, a sanitizer report names the process: the pid is not the reader's.
		sed -i 's/^==[0-9]*==/==PID==/' "$tmp/$run.err"
	done
	ref=flyrecord:1
	for run in flyrecord:2 flyrecord:3 flyrecord:4 libtracecmd:2; do
		check "'$opts $*' $run: same report" "cmp -s '$tmp/$ref.out' '$tmp/$run.out'"
		check "'$opts $*' $run: same errors" "cmp -s '$tmp/$ref.err' '$tmp/$run.err'"
		check "'$opts $*' $run: same exit status ($(cat "$tmp/$ref.status") vs $(cat "$tmp/$run.status"))" \
			"cmp -s '$tmp/$ref.status' '$tmp/$run.status'"
		if ! cmp -s "$tmp/$ref.out" "$tmp/$run.out"; then
			diff "$tmp/$ref.out" "$tmp/$run.out" | head -10
		fi
		if ! cmp -s "$tmp/$ref.err" "$tmp/$run.err"; then
			diff "$tmp/$ref.err" "$tmp/$run.err" | head -4
		fi
	done
done
# A replay that read nothing would compare equal too: the report must count page events.
status=$(cat "$tmp/flyrecord:1.status")
if [ "$status" -le 1 ] || [ "$status" -eq 3 ]; then
	check "the JSON report counts page events" \
		"grep -Eq '\"events_mm_page_(alloc|free)\": [1-9]' '$tmp/flyrecord:2.out'"
fi
finish "reader-compare $(basename "$rec") $*"
