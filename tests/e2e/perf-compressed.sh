#!/usr/bin/env bash
# perf-compressed.sh - `perf record -z` recordings (PERF_RECORD_COMPRESSED, zstd): the counters
# of a file-mode recording and of a pipe-mode one read on standard input must equal those
# perf-oracle.sh computes from `perf script`, and damaged compressed records must be refused
# with exit 2 and a one-line message that names the file and the compressed record.
#
# Usage: perf-compressed.sh TOOL FILE PIPEFILE PERFZ_SPLIT
# PERFZ_SPLIT (tests/tools/perfz-split.c, libzstd only) rewrites PIPEFILE's compressed records
# so that records straddle two of them, as COMPRESSED and as COMPRESSED2 (which perf 6.1 does
# not write): the tool must give the same counters on those as perf script on PIPEFILE.
# The records are walked here with od (type u32 at +0, size u16 at +6; HEADER_TRACING_DATA is
# followed by its u32 size of tracing data), without the tool's code, to check that the files
# really hold compressed records and to find one to damage.
# Exit 0, 1 on a failure, 77 (skip) without perf or a file.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
tool=$1
file=$2
pipefile=$3
split=$4
perf=${PERF:-perf}
command -v "$perf" >/dev/null 2>&1 || { echo "$me: skipped: no perf"; exit 77; }
for f in "$file" "$pipefile"; do
	[ -f "$f" ] || { echo "$me: skipped: $f does not exist"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-compressed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

u() {	# u FILE OFFSET BYTES: the unsigned little-endian integer there
	od -A n -t "u$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

# compressed FILE START END: prints "offset size" of each type 81 / 83 record in [START, END).
# One od of the whole file, walked in awk: an od per field forked thousands of times.
compressed() {
	od -A n -t u1 -v "$1" | awk -v start="$2" -v end="$3" -v f="$1" -v me="$me" '
		{ for (i = 1; i <= NF; i++) b[n++] = $i }
		function u(o, w,    v, k) {
			v = 0
			for (k = w - 1; k >= 0; k--)
				v = v * 256 + b[o + k]
			return v
		}
		END {
			for (off = start; off < end; off += size) {
				type = u(off, 4)
				size = u(off + 6, 2)
				if (size < 8) {
					printf "%s: %s: a record of %d bytes at %d\n", me, f, size, off > "/dev/stderr"
					exit 1
				}
				if (type == 81 || type == 83)
					print off, size
				else if (type == 66)
					off += u(off + 8, 4)
			}
		}'
}

data_off=$(u "$file" 40 8)
data_size=$(u "$file" 48 8)
compressed "$file" "$data_off" $((data_off + data_size)) >"$tmp/file.z" || fail=1
compressed "$pipefile" 16 "$(stat -c %s "$pipefile")" >"$tmp/pipe.z" || fail=1
for z in file pipe; do
	n=$(wc -l <"$tmp/$z.z")
	if [ "$n" -eq 0 ]; then
		echo "$me: FAIL: the $z-mode recording holds no compressed records" >&2
		fail=1
	else
		echo "ok $z mode: $n compressed records"
	fi
done

# Counters, file mode and pipe mode (on standard input), both models.
cat >"$tmp/stdin-tool" <<EOT
#!/usr/bin/env bash
# compare-counters.sh runs TOOL [options] FILE: give FILE on standard input instead.
exec "$tool" --stats --input-format=perf "\${@:1:\$#-1}" - <"\${!#}"
EOT
chmod +x "$tmp/stdin-tool"
for model in window kernel; do
	ORACLE=$here/perf-oracle.sh "$here/compare-counters.sh" "$tool" "$file" \
		--model=$model || fail=1
	ORACLE=$here/perf-oracle.sh "$here/compare-counters.sh" "$tmp/stdin-tool" "$pipefile" \
		--model=$model || fail=1
done
# The same stream with its records cut between compressed records, every 997 or 13 bytes.
for how in "997" "-2 997" "-2 13"; do
	cat >"$tmp/split-tool" <<EOT
#!/usr/bin/env bash
# The oracle reads FILE, the tool reads FILE as perfz-split $how rewrites it.
"$split" $how <"\${!#}" >"$tmp/split" || exit 2
exec "$tool" --stats --input-format=perf "\${@:1:\$#-1}" - <"$tmp/split"
EOT
	chmod +x "$tmp/split-tool"
	echo "perfz-split $how:"
	ORACLE=$here/perf-oracle.sh "$here/compare-counters.sh" "$tmp/split-tool" "$pipefile" ||
		fail=1
done
"$split" 997 <"$pipefile" >"$tmp/split997" || fail=1
compressed "$tmp/split997" 16 "$(stat -c %s "$tmp/split997")" >"$tmp/split.z" || fail=1
if [ "$(wc -l <"$tmp/split.z")" -le "$(wc -l <"$tmp/pipe.z")" ]; then
	echo "$me: FAIL: perfz-split 997 made no more compressed records than perf" >&2
	fail=1
fi

# (into a file: grep -q would close the pipe early, and pipefail would count that)
"$tool" --stats --input-format=perf - <"$pipefile" >"$tmp/summary"
if ! grep -q '^format: perf.data (pipe mode)$' "$tmp/summary"; then
	echo "$me: FAIL: the pipe-mode summary does not say 'format: perf.data (pipe mode)'" >&2
	fail=1
fi

# expect NAME WANT: the tool on the pipe-mode copy $tmp/NAME exits 2 with WANT in one line.
expect() {
	local name=$1 want=$2 rc
	"$tool" --stats --input-format=perf - <"$tmp/$name" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 2 ] || ! grep -q -- "$want" "$tmp/err" || [ "$(wc -l <"$tmp/err")" -ne 1 ]
	then
		echo "$me: FAIL $name: exit $rc (want 2 and '$want'), stderr:" >&2
		sed 's/^/  /' "$tmp/err" >&2
		fail=1
	else
		echo "ok $name: $(cat "$tmp/err")"
	fi
}

read -r first first_size < <(head -n 1 "$tmp/pipe.z")
read -r last last_size < <(tail -n 1 "$tmp/pipe.z")
if [ -n "${first:-}" ]; then
	# The zstd magic of the stream, which starts in the first compressed record, overwritten.
	cp "$pipefile" "$tmp/magic"
	printf '\377\377\377\377' | dd of="$tmp/magic" bs=1 seek=$((first + 8)) conv=notrunc \
		status=none
	expect magic "offset $first: corrupt zstd data in a compressed record"
	# The stream cut inside its last compressed record.
	head -c $((last + last_size / 2)) "$pipefile" >"$tmp/cut"
	expect cut "offset $last: a record (type 81) of $last_size bytes"
	# The split stream stopped before its third compressed record: a record is left cut.
	read -r third _ < <(sed -n 3p "$tmp/split.z")
	head -c "$third" "$tmp/split997" >"$tmp/split-cut"
	expect split-cut "the compressed records end inside a record"
	# The last compressed record dropped: what it held of a record is missing, or nothing.
	head -c "$last" "$pipefile" >"$tmp/drop"
	"$tool" --stats --input-format=perf - <"$tmp/drop" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 2 ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 3 ]; then
		echo "$me: FAIL drop: exit $rc" >&2
		fail=1
	fi
fi
exit $fail
