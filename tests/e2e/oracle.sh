#!/usr/bin/env bash
# oracle.sh - print the counters of pagecheck-replay for FILE, computed independently of the
# tool from `trace-cmd report -R FILE` and `trace-cmd report --stat FILE` by oracle.awk.
#
# Usage: oracle.sh FILE [--model=window|kernel] [--running-from=SECONDS] [--buffer=NAME|top]
#                       [--lost-markers=max|add]
# (each option also accepts its value as the next argument).
# Prints one "name: value" line per counter on stdout.  Exit 0, or 2 on any error.
# Environment: AWK (default: awk; checked with mawk 1.3.4 and gawk 5.2), TRACE_CMD (default:
# trace-cmd).
set -euo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)

usage() {
	echo "usage: $me FILE [--model=window|kernel] [--running-from=SECONDS]" \
		"[--buffer=NAME|top] [--lost-markers=max|add]" >&2
	exit 2
}

file=
model=window
running_from=
buffer=
lost_markers=max
while [ $# -gt 0 ]; do
	case $1 in
	--model=*) model=${1#*=} ;;
	--running-from=*) running_from=${1#*=} ;;
	--buffer=*) buffer=${1#*=} ;;
	--lost-markers=*) lost_markers=${1#*=} ;;
	--model | --running-from | --buffer | --lost-markers)
		[ $# -ge 2 ] || usage
		opt=${1#--}
		case $opt in
		model) model=$2 ;;
		running-from) running_from=$2 ;;
		buffer) buffer=$2 ;;
		lost-markers) lost_markers=$2 ;;
		esac
		shift ;;
	-h | --help) usage ;;
	-*) echo "$me: unknown option '$1'" >&2; usage ;;
	*)
		[ -z "$file" ] || { echo "$me: more than one FILE" >&2; usage; }
		file=$1 ;;
	esac
	shift
done
[ -n "$file" ] || usage
if [ ! -f "$file" ]; then
	echo "$me: $file: no such file" >&2
	exit 2
fi

tracecmd=${TRACE_CMD:-trace-cmd}
if ! command -v "$tracecmd" >/dev/null 2>&1; then
	echo "$me: $tracecmd not found (install trace-cmd)" >&2
	exit 2
fi
awk=${AWK:-awk}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/oracle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# C locale: byte lengths (trace-cmd pads comm to 16 bytes) and plain number parsing.
export LC_ALL=C

if ! "$tracecmd" report --stat "$file" >"$tmp/stat" 2>"$tmp/stat.err"; then
	echo "$me: '$tracecmd report --stat $file' failed:" >&2
	cat "$tmp/stat.err" >&2
	exit 2
fi

# The boot phase, from its own pass over the report (boot-boundary.awk): a recording that starts
# at boot gets the boundary its markers give, unless --running-from names one; and once a
# boundary is known, a never-seen page counts as free since boot (from_boot=1). A boot without a
# boundary gates every free: its boundary is later than any event (a year of seconds).
set +e
"$tracecmd" report -t -R "$file" 2>/dev/null | "$awk" -f "$here/boot-boundary.awk" >"$tmp/boot"
set -e
from_boot=0
if grep -q '^from_boot: yes$' "$tmp/boot"; then
	if [ -z "$running_from" ] && grep -q '^boot_marker: none$' "$tmp/boot"; then
		running_from=31536000
	elif [ -z "$running_from" ]; then
		running_from=$(sed -n 's/^running_from: //p' "$tmp/boot")
	fi
	from_boot=1
fi

# -R: raw field values (pfn=0xffffffffffffffff of a failed allocation, free_batched without
# order); -t: nanosecond timestamps.  Streamed: the report of a large file is large.
set +e
"$tracecmd" report -t -R "$file" 2>"$tmp/report.err" |
	"$awk" -v statfile="$tmp/stat" -v model="$model" -v running_from="$running_from" \
		-v from_boot="$from_boot" \
		-v buffer="$buffer" -v lost_markers="$lost_markers" -f "$here/oracle.awk"
st=("${PIPESTATUS[@]}")
set -e
# The awk first: when it stops early, trace-cmd dies of SIGPIPE.
if [ "${st[1]}" -ne 0 ]; then
	echo "$me: oracle.awk failed on $file (exit ${st[1]})" >&2
	exit 2
fi
if [ "${st[0]}" -ne 0 ]; then
	echo "$me: '$tracecmd report -R $file' failed (exit ${st[0]}):" >&2
	cat "$tmp/report.err" >&2
	exit 2
fi
exit 0
