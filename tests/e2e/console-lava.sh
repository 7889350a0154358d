#!/usr/bin/env bash
# console-lava.sh - console logs inside LAVA job logs, with cut and merged lines, and behind
# dmesg -T's wall-clock prefix (testdata/console/lava-*.yaml.zst and dmesg-T.log.zst, derived
# from the real logs there by make-lava.py; README.md "LAVA job logs and dmesg -T").
#
# Usage: console-lava.sh TOOL CONSOLE_DIR
# The expected numbers come from awk over the job log itself, not from the tool: the device's
# records ("lvl": "target") are unwrapped; a record with a printk time whose next device record
# has none was cut in two, a record holding a second printk time holds two lines merged; the
# page events are the dump's records (" CPUFLAGS TSus : mm_page_...: ") and tp_printk lines
# ("] mm_page_...: ") of the other records, and the damaged records are the cut, continuing and
# merged ones that name a page event.
set -uo pipefail

tool=$1
dir=$2
. "$(dirname "$0")/testlib.sh"
command -v zstd >/dev/null || { echo "skipped: no zstd"; exit 77; }
command -v jq >/dev/null || { echo "skipped: no jq"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lava.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
value() { sed -n "s/^$2: //p" "$1" | head -1; }

# lava_count LOG: "ALLOCS FREES BATCHED DAMAGED"
lava_count() {
	zstd -dc "$1" | awk '
	function event(m) {
		if (m ~ / [0-9]+[.dDX][^ ]* +[0-9]+us.: mm_page_alloc: / || m ~ /\] mm_page_alloc: /)
			a++
		else if (m ~ / [0-9]+[.dDX][^ ]* +[0-9]+us.: mm_page_free: / || m ~ /\] mm_page_free: /)
			f++
		else if (m ~ / [0-9]+[.dDX][^ ]* +[0-9]+us.: mm_page_free_batched: / ||
			 m ~ /\] mm_page_free_batched: /)
			b++
	}
	function take(m, cut) {
		named = m ~ /mm_page_(alloc|free|free_batched):/
		rest = m
		sub(/^\[ *[0-9]+[.][0-9]+\] /, "", rest)
		if (named && ((cut && prefixed(m)) || rest ~ /\[ *[0-9]+[.][0-9]+\]/ ||
			      !prefixed(m)))
			d++
		else
			event(m)
	}
	function prefixed(m) { return m ~ /^\[ *[0-9]+[.][0-9]+\] / }
	/"lvl": "target"/ {
		m = $0
		sub(/^.*"msg": "/, "", m)
		sub(/"}$/, "", m)
		gsub(/\\"/, "\"", m)
		gsub(/\\\\/, "\\", m)
		if (held)
			take(h, !prefixed(m))
		h = m
		held = 1
	}
	END { if (held) take(h, 0); printf "%d %d %d %d\n", a, f, b, d }'
}

for name in lava-double_alloc lava-double_free-cut lava-tpprintk; do
	log=$dir/$name.yaml.zst
	"$tool" --stats --show-undecidable --examples=all -q "$log" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	read -r a f b d <<<"$(lava_count "$log")"
	check "$name: events_mm_page_alloc $(value "$tmp/$name.out" events_mm_page_alloc), awk $a" \
		"[ '$(value "$tmp/$name.out" events_mm_page_alloc)' = $a ] && [ $a -gt 0 ]"
	check "$name: events_mm_page_free $(value "$tmp/$name.out" events_mm_page_free), awk $f" \
		"[ '$(value "$tmp/$name.out" events_mm_page_free)' = $f ]"
	check "$name: events_mm_page_free_batched $(value "$tmp/$name.out" events_mm_page_free_batched), awk $b" \
		"[ '$(value "$tmp/$name.out" events_mm_page_free_batched)' = $b ]"
	got=$(grep -o '[0-9]* page-event records could not be read' "$tmp/$name.err" | cut -d' ' -f1)
	check "$name: damaged records ${got:-none}, awk $d" "[ '${got:-0}' = $d ] && [ $d -gt 0 ]"
	check "$name: damage is not fatal: exit 3, inconclusive (got $rc)" \
		"[ $rc = 3 ] && [ '$(value "$tmp/$name.out" verdict)' = inconclusive ]"
	check "$name: the format names the job log" \
		"value '$tmp/$name.out' format | grep -q 'a LAVA job log of [0-9]* records'"
done

# The violation of the double alloc survives the damage elsewhere: with --allow-damaged it is
# judged as the console it came from is (exit 1, the same DOUBLE-ALLOC).
"$tool" --stats --show-undecidable --examples=all --allow-damaged --format=json "$dir/lava-double_alloc.yaml.zst" >"$tmp/da.json" 2>/dev/null
rc=$?
check "lava-double_alloc --allow-damaged: exit 1 (got $rc)" "[ $rc = 1 ]"
pfn=$(zstd -dc "$dir/fault-double_alloc-stacks-panic.log.zst" |
	sed -n 's/.*FAULT mode=double_alloc kind=double_alloc pfn=\(0x[0-9a-f]*\).*/\1/p')
check "lava-double_alloc: a DOUBLE-ALLOC violation at the module's pfn $pfn" \
	"jq -e '[.violations[] | select(.kind == \"DOUBLE-ALLOC\" and .pfn == \"$pfn\" and
		.class == \"violation\")] | length == 1' '$tmp/da.json' >/dev/null"

# The double free's own line cut: the fault cannot be seen, and the verdict says so rather than
# clean, even with --allow-damaged (the other frees without stacks stay undecidable).
"$tool" --stats --show-undecidable --examples=all --allow-damaged -q "$dir/lava-double_free-cut.yaml.zst" >/dev/null 2>&1
rc=$?
check "lava-double_free-cut --allow-damaged: not clean (exit $rc)" "[ $rc != 0 ]"
pfn=$(zstd -dc "$dir/lava-double_free-cut.yaml.zst" |
	sed -n 's/.*FAULT mode=double_free kind=double_free pfn=\(0x[0-9a-f]*\).*/\1/p')
h=${pfn#0x}
check "lava-double_free-cut: the line cut is the module's free of $pfn after its FAULT line" \
	"zstd -dc '$dir/lava-double_free-cut.yaml.zst' | awk '/FAULT mode=double_free/ { f = 1 }
		f && !c && /mm_page_free: page=[0-9a-f]* pfn=0x${h:0:$((${#h} / 2))}\"}\$/ { c = 1; next }
		c == 1 { ok = /\"msg\": \"${h:$((${#h} / 2))} order=1\"}\$/; c = 2 }
		END { exit !(c == 2 && ok) }'"

# dmesg -T: the same records as busybox dmesg printed them, behind "[Sun Dec  6 14:00:05 2026] ".
"$tool" --stats --show-undecidable --examples=all -q "$dir/dmesg-T.log.zst" >"$tmp/t.out" 2>&1
rc=$?
"$tool" --stats --show-undecidable --examples=all -q "$dir/dmesg.log.zst" >"$tmp/d.out" 2>&1
check "dmesg-T: the exit of dmesg.log ($rc)" "[ $rc = $? ]"
n=$(zstd -dc "$dir/dmesg-T.log.zst" | grep -cE '^\[(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ 1-3][0-9] [0-9:]{8} 20[0-9]{2}\] ')
check "dmesg-T: $n lines behind the dmesg -T prefix" "[ $n -ge 1000 ]"
for ev in mm_page_alloc mm_page_free mm_page_free_batched; do
	want=$(zstd -dc "$dir/dmesg-T.log.zst" | grep -cE " [0-9]+[.dDX][^ ]* +[0-9]+us.: $ev: ")
	check "dmesg-T: events_$ev $(value "$tmp/t.out" events_$ev), grep $want" \
		"[ '$(value "$tmp/t.out" events_$ev)' = $want ] && [ $want -gt 0 ]"
done
check "dmesg-T: the same report as dmesg.log" \
	"diff <(grep -v '^recording:\|^checked:' '$tmp/t.out') <(grep -v '^recording:\|^checked:' '$tmp/d.out') >/dev/null"

finish "console-lava"
