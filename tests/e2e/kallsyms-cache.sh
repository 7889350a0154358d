#!/usr/bin/env bash
# kallsyms-cache.sh - the kallsyms cache (formats/kscache.c, README "Speed") changes nothing of a
# report: every recording with kallsyms replayed without the cache, with an empty one (a miss,
# which writes the entry), with the entry (a hit), with the entry damaged (a byte of its text
# changed, then cut short, then one of another format), and its damaged kallsyms are still an
# error and never written to it.
#
# Usage: kallsyms-cache.sh TOOL TDDAMAGE TESTDATA_DIR
set -uo pipefail

bin=$1
tddamage=$2
data=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kallsyms-cache.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/testlib.sh"

# replay NAME CACHE FILE ARGS...: every block and counter, with PAGECHECK_REPLAY_CACHE=CACHE;
# stdout, stderr and the status in $tmp/NAME.all.
replay() {
	local name=$1 cache=$2 file=$3
	shift 3
	PAGECHECK_REPLAY_CACHE=$cache "$bin" --stats --show-undecidable --show-explained \
		--examples=all "$@" "$file" >"$tmp/$name.all" 2>&1
	echo "exit $?" >>"$tmp/$name.all"
}

entries() { find "$1" -maxdepth 1 -name 'kallsyms-*' 2>/dev/null | wc -l; }

# A v6 file with kallsyms: the v6 path keys the text itself.
trace-cmd convert --file-version 6 --compression none -i "$data/t06_stack_v7zstd.dat" \
	-o "$tmp/t06.v6.dat" >/dev/null 2>&1
[ -s "$tmp/t06.v6.dat" ] || { echo "trace-cmd convert made no v6 file"; exit 1; }

recordings=("$tmp/t06.v6.dat")
for f in "$data"/t*.dat "$data"/rfc/*.dat "$data"/faults/*.dat; do
	case $f in *nokallsyms*) continue ;; esac
	[ -f "$f" ] && recordings+=("$f")
done
# PCR_KALLSYMS_CACHE_FEW=1 (the sanitizer build, tests/e2e/CMakeLists.txt): t06 in v6 and v7,
# t12 (kprobe markers: libtraceevent's parse beside the table) and t15 (left to libtracecmd).
if [ -n "${PCR_KALLSYMS_CACHE_FEW:-}" ]; then
	recordings=("$tmp/t06.v6.dat" "$data/t06_stack_v7zstd.dat" "$data/t12_boot_kprobe_v7zstd.dat"
		"$data/t15_boot_s390x_stack_v7zstd.dat")
fi

n=0
for f in "${recordings[@]}"; do
	n=$((n + 1))
	name=${f##*/}
	cache=$tmp/cache$n
	replay off off "$f"
	replay miss "$cache" "$f"
	check "$name: a miss writes one entry" '[ "$(entries "$cache")" = 1 ]'
	check "$name: a miss reports as without the cache" 'cmp -s "$tmp/off.all" "$tmp/miss.all"'
	entry=$(find "$cache" -name 'kallsyms-*' | head -1)
	inode=$(stat -c %i "$entry")
	replay hit "$cache" "$f"
	check "$name: a hit reports as without the cache" 'cmp -s "$tmp/off.all" "$tmp/hit.all"'
	# A hit reads the entry and writes none (a rewrite renames a new file into place).
	check "$name: a hit rewrites no entry" '[ "$(stat -c %i "$entry")" = "$inode" ]'
	replay hit1 "$cache" "$f" --threads=1
	replay off1 off "$f" --threads=1
	check "$name: a hit on one thread as without" 'cmp -s "$tmp/off1.all" "$tmp/hit1.all"'
	# A byte of the text changed: read under its hash, it is a miss; the file is read again.
	cp "$entry" "$tmp/entry"
	printf 'Q' | dd of="$entry" bs=1 seek=4000 conv=notrunc status=none
	replay damaged "$cache" "$f"
	check "$name: a damaged entry reports as without the cache" \
		'cmp -s "$tmp/off.all" "$tmp/damaged.all"'
	replay damaged2 "$cache" "$f"
	check "$name: ... and after it" 'cmp -s "$tmp/off.all" "$tmp/damaged2.all"'
	# Read when our reader names a frame, and then written again; else never read (a replay
	# without stacks, or a file left to libtracecmd, whose open checks its kallsyms itself).
	case $name in t06*)
		check "$name: ... which wrote it again" 'cmp -s "$entry" "$tmp/entry"' ;;
	esac
	# Cut short, and a header of another version: misses.
	head -c 3000 "$tmp/entry" >"$entry"
	replay cut "$cache" "$f"
	check "$name: a cut entry reports as without the cache" 'cmp -s "$tmp/off.all" "$tmp/cut.all"'
	cp "$tmp/entry" "$entry"
	printf 'X' | dd of="$entry" bs=1 seek=6 conv=notrunc status=none
	replay magic "$cache" "$f"
	check "$name: an entry of another format reports as without the cache" \
		'cmp -s "$tmp/off.all" "$tmp/magic.all"'
	check "$name: ... and is replaced" 'cmp -s "$entry" "$tmp/entry"'
done

# A new entry left behind by a replay killed while writing it is removed an hour later, when
# another entry is written; a younger one may be another replay's, being written: it stays.
cache=$tmp/cache-stale
mkdir -p "$cache"
touch -d '2 hours ago' "$cache/.new-stale1"
touch -d '20 minutes ago' "$cache/.new-young1"
replay stale "$cache" "$data/t06_stack_v7zstd.dat"
check "a new entry left two hours ago is removed" '[ ! -e "$cache/.new-stale1" ]'
check "one left 20 minutes ago stays" '[ -e "$cache/.new-young1" ]'
check "... and the entry is written" '[ "$(entries "$cache")" = 1 ]'
rm -f "$cache/.new-young1"

# Damaged kallsyms: the error, with and without a cache, and nothing written.
"$tddamage" "$data/t01_v6_nokallsyms.dat" "$tmp/garble.dat" kallsyms-garble ||
	{ echo "tddamage failed"; exit 1; }
replay garble-off off "$tmp/garble.dat"
replay garble "$tmp/cache-garble" "$tmp/garble.dat"
check "damaged kallsyms: exit 2 with a cache" 'grep -q "^exit 2" "$tmp/garble.all"'
check "damaged kallsyms: the same message" 'cmp -s "$tmp/garble-off.all" "$tmp/garble.all"'
check "damaged kallsyms: no entry" '[ "$(entries "$tmp/cache-garble")" = 0 ]'

# A cache that cannot be written (a file where its directory should be): the same report.
touch "$tmp/not-a-dir"
replay nodir "$tmp/not-a-dir/cache" "$data/t06_stack_v7zstd.dat"
replay off off "$data/t06_stack_v7zstd.dat"
check "unwritable cache: the same report" 'cmp -s "$tmp/off.all" "$tmp/nodir.all"'

check "no file left half written" '[ -z "$(find "$tmp" -name ".new-*")" ]'

finish kallsyms-cache
