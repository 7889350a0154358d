#!/bin/bash
# reader-compare.sh - our flyrecord reader and libtracecmd's iterator must give the same run.
#
# Usage: reader-compare.sh BINARY RECORDING [OPTION...]
#
# Replays RECORDING with --reader=flyrecord (ours only: a file it would hand to libtracecmd is
# an error, so this cannot pass by falling back) and with --reader=libtracecmd, in the text
# report with every block and stack, in the kernel model with the validate scan, and as JSON;
# standard output, standard error and the exit status must be byte-identical.
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
	for reader in flyrecord libtracecmd; do
		# shellcheck disable=SC2086
		"$bin" --reader=$reader $opts "$@" "$rec" >"$tmp/$reader.out" 2>"$tmp/$reader.err"
		echo $? >"$tmp/$reader.status"
		# Under ASan, a sanitizer report names the process: the pid is not the reader's.
		sed -i 's/^==[0-9]*==/==PID==/' "$tmp/$reader.err"
	done
	check "'$opts $*': same report" "cmp -s '$tmp/flyrecord.out' '$tmp/libtracecmd.out'"
	check "'$opts $*': same errors" "cmp -s '$tmp/flyrecord.err' '$tmp/libtracecmd.err'"
	check "'$opts $*': same exit status ($(cat "$tmp/flyrecord.status") vs $(cat "$tmp/libtracecmd.status"))" \
		"cmp -s '$tmp/flyrecord.status' '$tmp/libtracecmd.status'"
	if ! cmp -s "$tmp/flyrecord.out" "$tmp/libtracecmd.out"; then
		diff "$tmp/flyrecord.out" "$tmp/libtracecmd.out" | head -10
	fi
	if ! cmp -s "$tmp/flyrecord.err" "$tmp/libtracecmd.err"; then
		diff "$tmp/flyrecord.err" "$tmp/libtracecmd.err" | head -4
	fi
done
# A replay that read nothing would compare equal too: the report must count page events.
status=$(cat "$tmp/libtracecmd.status")
if [ "$status" -le 1 ] || [ "$status" -eq 3 ]; then
	check "the JSON report counts page events" \
		"grep -Eq '\"events_mm_page_(alloc|free)\": [1-9]' '$tmp/flyrecord.out'"
fi
finish "reader-compare $(basename "$rec") $*"
