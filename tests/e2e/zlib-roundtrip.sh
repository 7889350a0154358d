#!/bin/bash
# zlib-roundtrip.sh - a zlib-compressed trace.dat v7 replays exactly like the recording it was
# converted from. Debian's trace-cmd cannot write (or read) zlib, so tdconvert rewrites the
# recording through libtracecmd's own copy with pagecheck-replay's zlib codec registered.
#
# Usage: zlib-roundtrip.sh BINARY TDCONVERT RECORDING...
set -uo pipefail

bin=$1
convert=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
for rec in "$@"; do
	[ -f "$rec" ] || continue
	if ! "$convert" "$rec" "$tmp/zlib.dat" 7 zlib >/dev/null; then
		echo "FAIL: cannot convert $rec to zlib"
		failed=$((failed + 1))
		continue
	fi
	"$bin" --stats --quiet "$rec" 2>/dev/null | grep -v -e '^recording: ' -e '^format: ' -e '^checked: ' >"$tmp/orig"
	"$bin" --stats --quiet "$tmp/zlib.dat" 2>/dev/null >"$tmp/zlib.out"
	if ! grep -qx 'format: trace.dat v7 zlib' "$tmp/zlib.out"; then
		echo "FAIL: the converted $rec is not reported as v7 zlib"
		failed=$((failed + 1))
	elif ! grep -v -e '^recording: ' -e '^format: ' -e '^checked: ' "$tmp/zlib.out" | cmp -s - "$tmp/orig"; then
		echo "FAIL: $rec replays differently once zlib-compressed:"
		grep -v -e '^recording: ' -e '^format: ' -e '^checked: ' "$tmp/zlib.out" | diff "$tmp/orig" - | head
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
[ $((passed + failed)) -gt 0 ] || { echo "no recording found"; exit 77; }
echo "zlib-roundtrip: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
