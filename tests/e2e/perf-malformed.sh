#!/usr/bin/env bash
# perf-malformed.sh - truncated and corrupted copies of a perf.data recording must be refused
# with exit 2 and a one-line message that names the file and the offset, never a crash.
#
# Usage: perf-malformed.sh TOOL FILE
# Exit 0 when every copy is refused as it should be, 1 otherwise, 77 when FILE is missing.
set -uo pipefail

me=${0##*/}
tool=$1
file=$2
[ -f "$file" ] || { echo "$me: skipped: $file does not exist"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-malformed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
size=$(stat -c %s "$file")
fail=0

# expect NAME WANT: runs the tool on $tmp/NAME; exit 2 and WANT in its message.
expect() {
	local name=$1 want=$2 rc
	"$tool" "$tmp/$name" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 2 ] || ! grep -q -- "$want" "$tmp/err" || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
		echo "$me: FAIL $name: exit $rc (want 2), stderr:" >&2
		sed 's/^/  /' "$tmp/err" >&2
		fail=1
	else
		echo "ok $name: $(cat "$tmp/err")"
	fi
}

# put NAME OFFSET HEXBYTES: a copy of FILE with bytes replaced at OFFSET.
put() {
	cp "$file" "$tmp/$1"
	printf "$3" | dd of="$tmp/$1" bs=1 seek="$2" conv=notrunc status=none
}

for cut in 12 60 104 400 $((size / 3)) $((size / 2)) $((size - 200)) $((size - 1)); do
	head -c "$cut" "$file" >"$tmp/cut$cut"
	expect "cut$cut" "perf.data offset"
done
data_off=$(od -A n -t u8 -j 40 -N 8 "$file" | tr -d ' ')
# attr_size 0, a data section past the end, a record of 0 bytes, a record longer than the data
put attr_size 16 '\0\0\0\0\0\0\0\0'
expect attr_size "attr entries of 0 bytes"
put data_size 48 '\377\377\377\377\377\377\0\0'
expect data_size "the data section"
put rec0 $((data_off + 6)) '\0\0'
expect rec0 "of 0 bytes"
put tracing 0 'PERFILE2'
tr_off=$(od -A n -t u8 -j $((data_off + $(od -A n -t u8 -j 48 -N 8 "$file" | tr -d ' '))) -N 8 "$file" | tr -d ' ')
put tracing "$tr_off" 'XXXX'
expect tracing "magic"
printf 'PERFILE2' >"$tmp/tiny"
expect tiny "perf.data offset"
exit $fail
