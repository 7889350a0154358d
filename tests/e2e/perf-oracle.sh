#!/usr/bin/env bash
# perf-oracle.sh - print the counters of pagecheck-replay for a perf.data FILE, computed
# independently of the tool: `perf script` prints the samples (perf's own reader, in perf's own
# time order), perf-script.awk rewrites them as `trace-cmd report -R` lines, and oracle.awk
# (the trace.dat oracle, unchanged) replays them.
#
# Usage: perf-oracle.sh FILE [--model=window|kernel]  (what compare-counters.sh passes)
# Exit 0, or 2 on any error.  Environment: AWK (default awk), PERF (default perf).
set -euo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
file=
model=window
while [ $# -gt 0 ]; do
	case $1 in
	--model=*) model=${1#*=} ;;
	--model) model=$2; shift ;;
	-*) echo "$me: unknown option '$1'" >&2; exit 2 ;;
	*) file=$1 ;;
	esac
	shift
done
[ -f "$file" ] || { echo "$me: $file: no such file" >&2; exit 2; }
perf=${PERF:-perf}
command -v "$perf" >/dev/null 2>&1 || { echo "$me: $perf not found" >&2; exit 2; }
awk=${AWK:-awk}
export LC_ALL=C

tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-oracle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# perf looks for kernel symbols it does not need here: keep its warnings out of the way.
if ! "$perf" script -i "$file" --ns --show-lost-events -F comm,tid,cpu,time,event,trace \
	>"$tmp/script" 2>"$tmp/err"; then
	echo "$me: '$perf script -i $file' failed:" >&2
	cat "$tmp/err" >&2
	exit 2
fi
"$awk" -f "$here/perf-script.awk" "$tmp/script" |
	"$awk" -v statfile= -v model="$model" -f "$here/oracle.awk"
