#!/usr/bin/env bash
# perf-idle-loss.sh - the perf reader's idle check fires exactly on the CPUs it should.
#
# Usage: perf-idle-loss.sh TOOL FILE.perf.data...
#
# For each FILE, the CPUs that hold page samples but not one of the idle task (pid 0) are found
# with `perf script` and awk (no code of the tool). When there are such CPUs, the replay must be
# inconclusive (exit 3) and its warning must name each of them and no other; when there are
# none, the replay must not be inconclusive and must not warn of the idle task. Exit 0 when all
# hold, 1 when not, 77 (skip) without perf or without any FILE.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
tool=$1
shift
command -v perf >/dev/null || { echo "$me: skipped: no perf"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-idle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
seen=0
for f in "$@"; do
	[ -e "$f" ] || continue
	seen=$((seen + 1))
	perf script -i "$f" -F pid,cpu,event 2>/dev/null >"$tmp/script"
	want=$(awk '$3 ~ /^kmem:mm_page_(alloc|free|free_batched):$/ {
			cpu = substr($2, 2, length($2) - 2) + 0; n[cpu]++; if ($1 == 0) idle[cpu]++ }
		END { for (c in n) if (!idle[c]) print c }' "$tmp/script" | sort -n | tr '\n' ' ')
	# Undecidable candidates (no stacks) are not what this is about: only the idle-task loss.
	"$tool" -q --allow-undecidable "$f" >/dev/null 2>"$tmp/err"
	rc=$?
	line=$(grep "no sample of the idle task" "$tmp/err")
	got=$(printf '%s\n' "$line" | grep -o 'CPU [0-9]* (' | awk '{ print $2 }' | sort -n |
		tr '\n' ' ')
	echo "$me: $f: CPUs without an idle sample: '${want}', named: '${got}', exit $rc"
	if [ -n "$want" ]; then
		check "$f: inconclusive (exit $rc)" '[ $rc = 3 ]'
		check "$f: the warning names CPUs '$want' (it names '$got')" '[ "$got" = "$want" ]'
		check "$f: the warning says how to record instead" \
			'printf "%s" "$line" | grep -q "record with trace-cmd"'
	else
		check "$f: not inconclusive (exit $rc)" '[ $rc -le 1 ]'
		check "$f: no idle warning" '[ -z "$line" ]'
	fi
done
[ "$seen" -gt 0 ] || { echo "$me: skipped: none of the files exists"; exit 77; }
finish "$me"
