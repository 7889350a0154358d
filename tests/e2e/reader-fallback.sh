#!/bin/bash
# reader-fallback.sh - the files our flyrecord reader leaves to libtracecmd, and its errors.
#
# Usage: reader-fallback.sh BINARY TWO_BUFFER_V7_RECORDING V7_ZSTD_RECORDING
#
# - A v6 file with an instance buffer (made here with 'trace-cmd convert --file-version 6'):
#   --reader=auto (the default) must give what --reader=libtracecmd gives; --reader=flyrecord
#   must refuse it with exit 2 and say why.
# - A zstd chunk with garbage in it: exit 2 and a message naming the chunk, never a crash or a
#   clean run.
# - An unknown --reader value: a usage error (exit 2).
set -uo pipefail
here=$(dirname "$0")
# shellcheck source=testlib.sh
. "$here/testlib.sh"

bin=$1
two=$2
zstd=$3
command -v trace-cmd >/dev/null || { echo "trace-cmd is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

trace-cmd convert --file-version 6 --compression none -i "$two" -o "$tmp/v6inst.dat" \
	>/dev/null 2>&1
check "trace-cmd convert wrote a v6 file" "[ -s '$tmp/v6inst.dat' ]"
for buffer in top x; do
	"$bin" --buffer=$buffer "$tmp/v6inst.dat" >"$tmp/auto.out" 2>&1
	echo $? >>"$tmp/auto.out"
	"$bin" --reader=libtracecmd --buffer=$buffer "$tmp/v6inst.dat" >"$tmp/lib.out" 2>&1
	echo $? >>"$tmp/lib.out"
	check "v6 with instances, --buffer=$buffer: the default reader falls back to libtracecmd" \
		"cmp -s '$tmp/auto.out' '$tmp/lib.out'"
	check "v6 with instances, --buffer=$buffer: a clean replay ($(tail -n 1 "$tmp/lib.out"))" \
		"[ \"\$(tail -n 1 '$tmp/lib.out')\" = 0 ]"
done
"$bin" --reader=flyrecord --buffer=x "$tmp/v6inst.dat" >"$tmp/fly.out" 2>"$tmp/fly.err"
status=$?
check "--reader=flyrecord refuses a v6 file with instances (exit $status)" "[ $status = 2 ]"
check "... and says why" "grep -q 'cannot read this file (it is a v6 file with instance buffers)' '$tmp/fly.err'"
check "... and prints no report" "[ ! -s '$tmp/fly.out' ]"

# The first chunk of CPU 0: 'trace-cmd dump --flyrecord' prints "0 OFFSET SIZE [id, data
# offset and size]" for each CPU of the BUFFER option.
off=$(trace-cmd dump --flyrecord -i "$zstd" 2>&1 | awk '/\[id, data offset and size\]/ &&
	$1 == 0 { print $2; exit }')
check "trace-cmd dump gives CPU 0's data offset ($off)" "[ -n '$off' ]"
if [ -n "$off" ]; then
	cp "$zstd" "$tmp/bad.dat"
	# Past the chunk count and the chunk's two sizes: the zstd frame's magic becomes garbage.
	printf '\377\377\377\377' | dd of="$tmp/bad.dat" bs=1 seek=$((off + 12)) conv=notrunc \
		status=none
	"$bin" --reader=flyrecord "$tmp/bad.dat" >/dev/null 2>"$tmp/bad.err"
	status=$?
	check "a chunk that does not decompress: exit 2 (got $status)" "[ $status = 2 ]"
	check "... with a message naming it" "grep -q 'a compressed chunk does not decompress' '$tmp/bad.err'"
fi

"$bin" --reader=fast "$zstd" >/dev/null 2>"$tmp/usage.err"
status=$?
check "--reader=fast is a usage error (exit $status)" "[ $status = 2 ]"
check "... naming the values" "grep -q 'auto, flyrecord or libtracecmd' '$tmp/usage.err'"
finish reader-fallback
