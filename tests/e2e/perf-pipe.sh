#!/usr/bin/env bash
# perf-pipe.sh - perf.data in pipe mode on standard input: `... | pagecheck-replay
# --input-format=perf -` must give the counters perf-oracle.sh (perf script) gives for the same
# stream, and a cut stream must be refused with exit 2.
#
# Usage: perf-pipe.sh TOOL [FILE]
# The stream is made by `perf record -o -` of a short system-wide recording when perf may
# record here, else by `perf inject -i FILE -o -` when perf can read that output back (perf
# 6.1's inject writes the tracing data of a file without its record header, a stream perf
# itself refuses). Exit 0, 1 on a failure, 77 (skip) when no pipe-mode stream can be made.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
tool=$1
file=${2:-}
perf=${PERF:-perf}
command -v "$perf" >/dev/null 2>&1 || { echo "$me: skipped: no perf"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-pipe.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

readable() {
	"$perf" script -i "$1" >/dev/null 2>&1 && [ "$(head -c 16 "$1" | od -A n -t u8 -j 8 |
		tr -d ' ')" = 16 ]
}
# perf's own dump says whether it lost samples (LOST, LOST_SAMPLES): perf script, the oracle,
# shows no such records, so a lossy stream cannot be compared; on a loaded machine try again.
lossless() {
	! "$perf" script -D -i "$1" 2>/dev/null | grep -q 'PERF_RECORD_LOST'
}
recorded=
for try in 1 2 3; do
	if timeout 20 "$perf" record -q -m 8192 -o - -a -e kmem:mm_page_alloc \
		-e kmem:mm_page_free -e kmem:mm_page_free_batched -- \
		sh -c 'ls -lR /usr/share/doc >/dev/null; sync' >"$tmp/stream" 2>/dev/null &&
		readable "$tmp/stream"; then
		lossless "$tmp/stream" && { recorded=yes; break; }
		echo "perf lost samples in recording $try: recording again"
	fi
done
if [ -n "$recorded" ]; then
	how="perf record -o -"
elif [ -n "$file" ] && [ -f "$file" ] &&
	"$perf" inject -i "$file" -o - >"$tmp/stream" 2>/dev/null && readable "$tmp/stream"; then
	how="perf inject -i $file -o -"
else
	echo "$me: skipped: neither perf record -o - nor perf inject -o - gave a readable stream"
	exit 77
fi
echo "stream from: $how ($(stat -c %s "$tmp/stream") bytes)"

cat >"$tmp/stdin-tool" <<EOT
#!/bin/bash
# compare-counters.sh runs TOOL [OPTIONS] FILE: give FILE on standard input instead.
exec "$tool" --input-format=perf "\${@:1:\$#-1}" - <"\${@: -1}"
EOT
chmod +x "$tmp/stdin-tool"
fail=0
ORACLE=$here/perf-oracle.sh "$here/compare-counters.sh" "$tmp/stdin-tool" "$tmp/stream" || fail=1
# Exit 3 is expected too: the idle check finds a recorded CPU with no idle-task sample.
"$tool" --stats --input-format=perf - <"$tmp/stream" >"$tmp/summary" 2>/dev/null
if ! grep -q '^format: perf.data (pipe mode)$' "$tmp/summary"; then
	echo "$me: FAIL: the summary does not say 'format: perf.data (pipe mode)'" >&2
	fail=1
fi
size=$(stat -c %s "$tmp/stream")
for cut in 20 $((size / 2)) $((size - 3)); do
	head -c "$cut" "$tmp/stream" | "$tool" --stats --input-format=perf - >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 2 ] || ! grep -q "standard input: perf.data offset" "$tmp/err"; then
		echo "$me: FAIL: a stream cut at $cut bytes: exit $rc" >&2
		cat "$tmp/err" >&2
		fail=1
	else
		echo "ok cut at $cut: $(cat "$tmp/err")"
	fi
done
exit $fail
