#!/bin/bash
# inputs.sh - inputs that should just work (issue 18):
# - a trace.dat (v7 zstd, v6) and a perf.data compressed with zstd (FILE.zst), on standard input
#   (redirected and piped), and compressed on standard input, replay to the report of the plain
#   file, byte for byte but for its "recording:" line (and the ", zstd" of a text's "format:"),
#   with the same exit status; the same for
#   text on standard input without --input-format;
# - a compressed trace.dat is decompressed into a temporary file, not into memory: the peak RSS
#   of its replay exceeds the plain file's by less than half the decompressed size (8.8 MB);
# - a temporary file that cannot be written (no such TMPDIR, a full 64 KiB tmpfs) is an error
#   that names the directory and TMPDIR;
# - without FILE, trace.dat of the current directory is replayed (and its absence explained);
#   -i FILE is FILE, -B NAME is --buffer=NAME;
# - a named --input-format that the content contradicts says what the file is, for every pair
#   of trace.dat, perf.data and text, plain and compressed;
# - a --pfn-range that leaves out every page event is inconclusive (exit 3), with a warning that
#   counts the events outside it as trace-cmd report counts them.
#
# Usage: inputs.sh BINARY TESTDATA_DIR [SHARED_TESTDATA_DIR]
set -uo pipefail

bin=$1
data=$2
shared=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
cases=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# run NAME ARGS...: the replay's stdout (with --stats) without its "recording:" and "checked:"
# lines in $tmp/NAME.out, its stderr in $tmp/NAME.err, its exit status in $tmp/NAME.rc.
run() {
	local name=$1
	shift
	"$bin" --stats "$@" >"$tmp/$name.raw" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
	# The text reader's format line says it decompressed: the rest is the same. The
	# headline's "checked:" names the file too: its counts are in the counters.
	grep -v '^recording: \|^checked: ' "$tmp/$name.raw" |
		sed '/^format: text/s/, zstd)$/)/' >"$tmp/$name.out"
}

# same REF NAME: NAME's report and exit status are REF's.
same() {
	cases=$((cases + 1))
	if ! cmp -s "$tmp/$1.rc" "$tmp/$2.rc"; then
		fail "$2: exit $(cat "$tmp/$2.rc"), the plain file's $(cat "$tmp/$1.rc"): $(head -c 300 "$tmp/$2.err")"
	elif ! cmp -s "$tmp/$1.out" "$tmp/$2.out"; then
		fail "$2: the report differs from the plain file's: $(diff "$tmp/$1.out" "$tmp/$2.out" | head -5)"
	elif [ "$(wc -l <"$tmp/$1.out")" -lt 20 ]; then
		fail "$2: a report of $(wc -l <"$tmp/$1.out") lines is no report"
	fi
}

# expect STATUS FRAGMENT NAME: NAME exited with STATUS and its stderr holds FRAGMENT.
expect() {
	cases=$((cases + 1))
	if [ "$(cat "$tmp/$3.rc")" -ne "$1" ]; then
		fail "$3: exit $(cat "$tmp/$3.rc"), expected $1: $(head -c 300 "$tmp/$3.err")"
	elif ! grep -qF -- "$2" "$tmp/$3.err"; then
		fail "$3: stderr lacks '$2': $(head -c 400 "$tmp/$3.err")"
	fi
}

dat=$data/t02_v7zstd_nokallsyms.dat
v6=$data/t01_v6_nokallsyms.dat
perf=$data/w01_same_all.perf.data
zstd -qdc "$data/w01_same_all.txt.zst" >"$tmp/text.txt"
text=$tmp/text.txt

# Compressed, redirected, piped, and both: the plain file's report.
for f in "$dat" "$v6" "$perf" "$text"; do
	b=$(basename "$f")
	zstd -qc "$f" >"$tmp/$b.zst"
	run "$b" "$f"
	run "$b.zst" "$tmp/$b.zst"
	run "$b.stdin" - <"$f"
	run "$b.pipe" - < <(cat "$f")
	run "$b.zst.pipe" - < <(cat "$tmp/$b.zst")
	for v in zst stdin pipe zst.pipe; do
		same "$b" "$b.$v"
	done
	echo "$b: .zst, stdin, pipe and zstd on a pipe replay as the file (exit $(cat "$tmp/$b.rc"))"
done
# A named format that the content confirms, compressed and on standard input.
run dat.named.zst --input-format=tracedat - < <(cat "$tmp/$(basename "$dat").zst")
same "$(basename "$dat")" dat.named.zst
run perf.named --input-format=perf - <"$perf"
same "$(basename "$perf")" perf.named

# Bounded memory: the decompressed copy goes to a file.
big=${shared:+$shared/boot/boot-plain.v6.dat}
if [ -n "$big" ] && [ -f "$big" ] && [ -x /usr/bin/time ]; then
	cases=$((cases + 1))
	zstd -qc "$big" >"$tmp/big.zst"
	/usr/bin/time -f %M -o "$tmp/plain.kb" "$bin" "$big" >/dev/null 2>&1
	/usr/bin/time -f %M -o "$tmp/zst.kb" "$bin" "$tmp/big.zst" >/dev/null 2>&1
	size_kb=$(($(stat -c %s "$big") / 1024))
	plain_kb=$(tail -1 "$tmp/plain.kb")
	zst_kb=$(tail -1 "$tmp/zst.kb")
	if [ "$((zst_kb - plain_kb))" -ge "$((size_kb / 2))" ]; then
		fail "big.zst: peak RSS $zst_kb KiB, the plain file's $plain_kb KiB: the $size_kb KiB recording is held in memory"
	fi
	echo "memory: $(basename "$big") $plain_kb KiB, compressed $zst_kb KiB (decompressed size $size_kb KiB)"
else
	echo "note: no shared boot-plain.v6.dat or /usr/bin/time: the memory bound is not measured"
fi

# The temporary copy cannot be written.
b=$(basename "$dat")
TMPDIR=$tmp/no/such run tmpdir-missing "$tmp/$b.zst"
expect 2 "in $tmp/no/such (from TMPDIR): No such file or directory" tmpdir-missing
mkdir "$tmp/full"
if unshare -m true 2>/dev/null; then
	zstd -qc "$data/t06_stack_v7zstd.dat" >"$tmp/t06.zst"
	unshare -m sh -c 'mount -t tmpfs -o size=64k none "$1" && shift && exec "$@"' sh \
		"$tmp/full" env TMPDIR="$tmp/full" "$bin" "$tmp/t06.zst" >"$tmp/full.raw" \
		2>"$tmp/full.err"
	echo $? >"$tmp/full.rc"
	expect 2 "cannot write a temporary copy of it in $tmp/full (from TMPDIR): No space left on device; set TMPDIR" full
else
	echo "note: cannot mount a tmpfs here (not root): a full TMPDIR is not tried"
fi

# No FILE: trace.dat here; -i FILE; -B NAME.
mkdir "$tmp/cwd"
(cd "$tmp/cwd" && run bare-missing)
expect 2 "no trace.dat in the current directory: record one with 'pagecheck-replay record'" \
	bare-missing
cp "$dat" "$tmp/cwd/trace.dat"
(cd "$tmp/cwd" && run bare-named trace.dat && run bare && run dash-i -i trace.dat)
for n in bare dash-i; do
	cases=$((cases + 1))
	cmp -s "$tmp/bare-named.raw" "$tmp/$n.raw" && cmp -s "$tmp/bare-named.rc" "$tmp/$n.rc" ||
		fail "$n: not the report of 'pagecheck-replay trace.dat'"
done
run two -i "$dat" "$dat"
expect 2 "one recording at a time" two
run buffer-long --buffer=x "$data/t11_two_buffers_nokallsyms.dat"
run buffer-short -B x "$data/t11_two_buffers_nokallsyms.dat"
same buffer-long buffer-short

# A named format the content contradicts: what the file is.
desc_dat="a trace.dat v$(head -c 11 "$dat" | tail -c 1)"
for actual in "$dat:$desc_dat:tracedat" "$perf:a perf.data:perf" "$text:text:text"; do
	IFS=: read -r f desc opt <<<"$actual"
	b=$(basename "$f")
	for named in tracedat:trace.dat perf:perf.data text:text; do
		[ "${named%%:*}" = "$opt" ] && continue
		run "$b.as-${named%%:*}" --input-format="${named%%:*}" "$f"
		expect 2 "$f is $desc, not ${named#*:}: drop --input-format or use --input-format=$opt" \
			"$b.as-${named%%:*}"
		run "$b.zst.as-${named%%:*}" --input-format="${named%%:*}" "$tmp/$b.zst"
		expect 2 "$tmp/$b.zst is $desc compressed with zstd, not ${named#*:}: drop --input-format or use --input-format=$opt" \
			"$b.zst.as-${named%%:*}"
	done
done
run stdin.as-text --input-format=text - <"$dat"
expect 2 "standard input is $desc_dat, not text" stdin.as-text

# --pfn-range that holds no page event of the recording.
if command -v trace-cmd >/dev/null; then
	outside=$(trace-cmd report "$dat" 2>/dev/null | grep -cE ' mm_page_(alloc|free): ')
	run range --pfn-range=0x10-0x20 "$dat"
	expect 3 "no page event fell in --pfn-range=0x10-0x20 ($outside were outside it): nothing was checked, so the verdict is inconclusive" range
	cases=$((cases + 1))
	grep -qx 'verdict: inconclusive' "$tmp/range.out" || fail "range: $(grep verdict "$tmp/range.out")"
	# A range holding every page: no such warning, the verdict of the whole recording.
	run all "$dat"
	run range-all --pfn-range=0-0x1000000000 "$dat"
	cases=$((cases + 1))
	if grep -q "no page event fell" "$tmp/range-all.err" ||
	   ! cmp -s "$tmp/all.rc" "$tmp/range-all.rc" ||
	   [ "$(grep '^verdict:' "$tmp/all.out")" != "$(grep '^verdict:' "$tmp/range-all.out")" ]; then
		fail "range-all: not the verdict of the whole recording: $(head -c 300 "$tmp/range-all.err")"
	fi
else
	echo "note: no trace-cmd: the --pfn-range case is not tried"
fi

echo "inputs: $((cases - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
