#!/usr/bin/env bash
# boot-arch.sh - the boundary of a boot recording of page events alone (an arm64 or s390x boot
# made by testdata/record-boot-arch.sh), against the guest's own kernel log.
#
# Usage: boot-arch.sh TOOL BOOT_DAT DMESG
#
# Written apart from the tool: DMESG is the guest's dmesg, read after tracing stopped.
#   - The init section's pages: the sum of dmesg's "Freeing unused ... memory: NK" lines / 4
#     (free_initmem(): arm64's "kernel", s390x's "early sccb" and "kernel image (initmem)")
#     equals the mm_page_free events of pid 1 whose stack has free_reserved_area in
#     `trace-cmd report`.
#   - The tool finds the free_initmem burst: its boot_initmem_burst_events equals
#     boot-boundary.awk's count (-v counts=1), and holds at least those pages.
#   - Its running_from lies in the last millisecond before the "Freeing unused kernel" line's
#     time (printk prints after the frees; the trace clock is global, dmesg's the local clock:
#     both the scheduler clock) and before "Run /init as init process".
#   - --model=kernel, the RFC's gate at that boundary: exit 0, no violation (without the
#     boundary, thousands of boot-time frees were reported as double frees, exit 1).
#   - Without pid 1's frees no boundary is found: exit 3 (inconclusive), no double free
#     reported; with --running-from at dmesg's "Run /init": judged, no double-free violation.
#   - A big-endian recording (s390x): --reader=flyrecord refuses it (exit 2, names the reason)
#     and the default reader gives what --reader=libtracecmd gives, exit 0.
# Exit 77 when a file is missing.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
export LC_ALL=C

[ $# -eq 3 ] || { echo "usage: $me TOOL BOOT_DAT DMESG" >&2; exit 2; }
tool=$1
dat=$2
dmesg=$3
[ -f "$dat" ] && [ -f "$dmesg" ] || { echo "$me: skipped: no $dat or $dmesg"; exit 77; }
command -v trace-cmd >/dev/null || { echo "trace-cmd is not installed"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/boot-arch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
name=${dat##*/}

# "[    4.737401] Freeing unused kernel memory: 6464K" -> seconds and KiB.
kib=$(sed -n 's/^\[ *[0-9.]*\] Freeing unused .*memory: \([0-9]*\)K$/\1/p' "$dmesg" |
	awk '{ s += $1 } END { print s + 0 }')
t_free=$(sed -n 's/^\[ *\([0-9.]*\)\] Freeing unused kernel.*memory: [0-9]*K$/\1/p' "$dmesg" |
	tail -n 1)
t_init=$(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process$/\1/p' "$dmesg")
check "$name: dmesg has the free_initmem and /init lines ($kib KiB at $t_free, /init at $t_init)" \
	"[ '$kib' -gt 0 ] && [ -n '$t_free' ] && [ -n '$t_init' ]"

# The frees of free_reserved_area() by pid 1: the event line, then its stack's frames.
trace-cmd report "$dat" 2>/dev/null | awk '
	/^ *[^ =].*-[0-9]+ +\[[0-9]+\] +[0-9.]+: +mm_page_free:/ { last = ($1 ~ /-1$/) ; next }
	/^ *[^ =].*-[0-9]+ +\[[0-9]+\] +[0-9.]+: +kernel_stack:/ { next }
	/^ *[^ =].*-[0-9]+ +\[[0-9]+\]/ { last = 0; next }
	/^=> free_reserved_area / && last { n++; last = 0 }
	END { print n + 0 }' >"$tmp/reserved"
reserved=$(cat "$tmp/reserved")
check "$name: pid 1's free_reserved_area frees ($reserved) are dmesg's $kib KiB / 4" \
	"[ '$reserved' -eq $((kib / 4)) ]"

trace-cmd report -t -R "$dat" 2>/dev/null | awk -v counts=1 -f "$here/boot-boundary.awk" \
	>"$tmp/awk"
"$tool" --stats -q --model=kernel "$dat" >"$tmp/out" 2>"$tmp/err"
rc=$?
want=$(sed -n 's/^boot_initmem_burst_events: //p' "$tmp/awk")
got=$(sed -n 's/^boot_initmem_burst_events: //p' "$tmp/out")
rf=$(sed -n 's/^running_from: \([0-9.]*\) (boot_marker)$/\1/p' "$tmp/out")
check "$name: marker free_initmem_burst" "grep -q '^boot_marker: free_initmem_burst at ' '$tmp/out'"
check "$name: burst events $got, the awk's $want" "[ -n '$want' ] && [ '$got' = '$want' ]"
check "$name: the burst holds the init section ($got >= $((kib / 4)))" \
	"[ '$got' -ge $((kib / 4)) ]"
check "$name: running_from $rf in the millisecond before dmesg's $t_free" \
	"awk -v r='$rf' -v f='$t_free' 'BEGIN { exit !(r != \"\" && r <= f && r >= f - 0.001) }'"
check "$name: running_from $rf before /init runs ($t_init)" \
	"awk -v r='$rf' -v i='$t_init' 'BEGIN { exit !(r < i) }'"
check "$name: --model=kernel exits 0 (got $rc)" "[ $rc -eq 0 ]"
check "$name: --model=kernel: no double-free violation" \
	"grep -q '^double_free_violation_events: 0$' '$tmp/out'"

# Without pid 1's frees (the text of the report without those lines) no boundary can be found:
# nothing is reported as a double free, the verdict is inconclusive (exit 3) and the warning's
# advice, --running-from at dmesg's "Run /init", judges it: no double-free violation (the pages
# pid 1 freed and allocated again are double allocs in this cut, rightly).
trace-cmd report -t "$dat" 2>/dev/null |
	grep -Ev -- '-1 +\[[0-9]+\] +[0-9.]+: +mm_page_free: ' >"$tmp/cut.txt"
"$tool" --stats -q --model=kernel --input-format=text "$tmp/cut.txt" >"$tmp/cut.out" 2>"$tmp/cut.err"
crc=$?
check "$name without pid 1's frees: no boundary" \
	"grep -q '^running_from: not found$' '$tmp/cut.out'"
check "$name without pid 1's frees: no double free reported" \
	"grep -q '^double_free_events: 0$' '$tmp/cut.out'"
check "$name without pid 1's frees: inconclusive, exit 3 (got $crc)" \
	"[ $crc -eq 3 ] && grep -q '^verdict: inconclusive$' '$tmp/cut.out'"
check "$name without pid 1's frees: the warning names --running-from" \
	"grep -q 'running-from=SECONDS' '$tmp/cut.err'"
"$tool" --stats -q --model=kernel --input-format=text --running-from="$t_init" "$tmp/cut.txt" \
	>"$tmp/given.out" 2>/dev/null
grc=$?
check "$name without pid 1's frees, --running-from=$t_init: judged (exit $grc)" \
	"[ $grc -le 1 ] && grep -q '^double_free_violation_events: 0$' '$tmp/given.out'"

# Byte order: the file header's endian byte (after "\x17\x08\x44tracing" and the version).
endian=$(od -An -tu1 -j 10 -N 8 "$dat" | awk '{ for (i = 1; i <= NF; i++) if ($i == 0) {
	print $(i + 1); exit } }')
if [ "$endian" = 1 ]; then
	"$tool" --stats -q --reader=flyrecord "$dat" >/dev/null 2>"$tmp/fly.err"
	frc=$?
	check "$name (big-endian): --reader=flyrecord refuses it, exit 2 (got $frc)" "[ $frc -eq 2 ]"
	check "$name (big-endian): and says why" "grep -q 'little-endian' '$tmp/fly.err'"
	"$tool" --stats "$dat" >"$tmp/auto" 2>&1
	echo "exit $?" >>"$tmp/auto"
	"$tool" --stats --reader=libtracecmd "$dat" >"$tmp/lib" 2>&1
	echo "exit $?" >>"$tmp/lib"
	check "$name (big-endian): the default reader gives libtracecmd's report" \
		"diff -u '$tmp/lib' '$tmp/auto'"
fi
finish "$me $name"
