#!/usr/bin/env bash
# perf-markers.sh - boot phase markers in perf.data: sched_process_exec samples become exec
# markers (events_sched_process_exec), counted against `perf script`.
#
# Usage: perf-markers.sh TOOL
# Records `sh -c '/bin/true; /bin/true; /bin/true'` with perf (per task, so only that shell and
# its children), then compares the tool's events_sched_process_exec and events_other with the
# lines `perf script` prints for sched:sched_process_exec and for every non-kmem event.
# Exit 77 without perf or when perf cannot record tracepoints here.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
tool=${1:?usage: $me TOOL}
command -v perf >/dev/null || { echo "$me: skipped: no perf"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-markers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if ! timeout 120 perf record -q -o "$tmp/p.data" -e sched:sched_process_exec \
	-e kmem:mm_page_alloc -e kmem:mm_page_free -- sh -c '/bin/true; /bin/true; /bin/true' \
	>"$tmp/rec.log" 2>&1; then
	echo "$me: skipped: perf record failed: $(head -c 300 "$tmp/rec.log")"
	exit 77
fi
perf script -i "$tmp/p.data" -F event >"$tmp/script" 2>/dev/null
want_exec=$(grep -c 'sched:sched_process_exec' "$tmp/script")
want_other=$(grep -vc 'kmem:' "$tmp/script")
"$tool" --stats -q "$tmp/p.data" >"$tmp/out" 2>"$tmp/err"
got() { sed -n "s/^$1: //p" "$tmp/out"; }
check "perf script shows the 4 execs of sh and its three /bin/true (got $want_exec)" \
	"[ '$want_exec' -eq 4 ]"
check "events_sched_process_exec $(got events_sched_process_exec) = perf script's $want_exec" \
	"[ '$(got events_sched_process_exec)' = '$want_exec' ]"
check "events_other $(got events_other) = perf script's non-kmem lines $want_other" \
	"[ '$(got events_other)' = '$want_other' ]"
check "not a boot recording" "grep -q '^from_boot: no$' '$tmp/out'"
finish "$me"
