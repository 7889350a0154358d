#!/usr/bin/env bash
# perf-kallsyms.sh - whose symbols name a recording's stack frames (issue 18).
#
# Usage: perf-kallsyms.sh TOOL OTHER_PERF_DATA TRACE_DAT_WITH_KALLSYMS TRACE_DAT_WITHOUT
# A fresh perf recording of this machine (perf record -g, per task) is named with the running
# kernel's /proc/kallsyms without --kallsyms, and the names equal `perf script`'s for the same
# callchains (the oracle). A --kallsyms copy that does not fit the recording (shifted as by
# another KASLR boot, another build's _etext, no _text) is refused with exit 2 and the reason.
# OTHER_PERF_DATA (testdata p01) and the trace.dat files come from another kernel: which one is
# decided here, from their build id and release against this machine's; the parts that need the
# host to differ are skipped with a message when it does not. Exit 77 without perf, root or
# readable kallsyms.
set -uo pipefail

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
tool=${1:?usage: $me TOOL OTHER_PERF_DATA TRACE_DAT_WITH_KALLSYMS TRACE_DAT_WITHOUT}
other=$2
dat_k=$3
dat_nok=$4
command -v perf >/dev/null || { echo "$me: skipped: no perf"; exit 77; }
command -v perl >/dev/null || { echo "$me: skipped: no perl"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-kallsyms.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

running_text=$(awk '$3 == "_text" && $2 ~ /^[Tt]$/ { print $1; exit }' /proc/kallsyms)
if [ "$(id -u)" != 0 ] || [ -z "$running_text" ] || [ "$((16#$running_text))" = 0 ]; then
	echo "$me: skipped: needs root and a /proc/kallsyms with addresses (kptr_restrict)"
	exit 77
fi
running_id=$(perf buildid-list -k 2>/dev/null)
[ -n "$running_id" ] || { echo "$me: skipped: perf buildid-list -k names no build id"; exit 77; }
release=$(uname -r)

# shift FILE OFFSET: FILE's addresses moved by OFFSET (64-bit, as another KASLR slide would).
shift_kallsyms() {
	perl -ne 'printf("%016x%s", (hex($1) + '"$2"') & 0xffffffffffffffff, $2)
		if /^([0-9a-f]+)(.*\n)/' "$1"
}

# ---- A fresh recording of this kernel: the running kernel's symbols, as perf script's ----
if ! timeout 120 perf record -q -g -o "$tmp/rec.data" -e kmem:mm_page_alloc \
	-e kmem:mm_page_free -- sh -c "head -c 4000000 /dev/zero >'$tmp/f'; sync; rm -f '$tmp/f'" \
	>"$tmp/rec.log" 2>&1; then
	echo "$me: skipped: perf record failed: $(head -c 300 "$tmp/rec.log")"
	exit 77
fi
rec_id=$(perf buildid-list -i "$tmp/rec.data" 2>/dev/null | awk '$2 == "[kernel.kallsyms]" { print $1 }')
check "perf lists the fresh recording's kernel build id as the running one ($rec_id)" \
	'[ "$rec_id" = "$running_id" ]'
"$tool" --stats -q "$tmp/rec.data" >"$tmp/out" 2>"$tmp/err"
check "no --kallsyms: the summary says the running kernel's symbols are used, and why" \
	"grep -qx 'kallsyms: /proc/kallsyms (the running kernel: the recording.s build id, _text at 0x0*$running_text as in the recording.s kernel map)' '$tmp/out'"
check "no --kallsyms: coverage says the stacks have symbols" \
	"grep -q '^coverage: kernel stacks yes,' '$tmp/out'"

# The oracle: perf script's kernel callchains of the page events of ten pfns, in time order.
perf script -i "$tmp/rec.data" 2>/dev/null >"$tmp/script"
pfns=$(grep -o 'kmem:mm_page_alloc: .*pfn=0x[0-9a-f]*' "$tmp/script" | sed 's/.*pfn=//' |
	awk '!seen[$0]++' | head -10)
check "perf script shows allocations with their pfns" '[ -n "$pfns" ]'
: >"$tmp/want"
: >"$tmp/got"
for pfn in $pfns; do
	echo "P $pfn" | tee -a "$tmp/got" >>"$tmp/want"
	awk -v pfn="pfn=$pfn" '
		/kmem:mm_page_(alloc|free):/ {
			on = match($0, /pfn=0x[0-9a-f]+ /) && substr($0, RSTART, RLENGTH - 1) == pfn
			if (on) {
				match($0, /mm_page_(alloc|free)/)
				print "E " substr($0, RSTART, RLENGTH)
			}
			next
		}
		# The report leaves the tracing glue out, as README "Stacks" says.
		on && /\(\[kernel\.kallsyms\]\)$/ && $2 !~ glue { print "F " $2 }' \
		glue='^(trace_event_raw_event_|__traceiter_|perf_trace_|__bpf_trace_|trace_call_bpf|__ftrace_trace_stack|__trace_stack|trace_buffer_unlock_commit|perf_tp_event|perf_callchain)' \
		"$tmp/script" >>"$tmp/want"
	"$tool" --stats -q --explain="$pfn" "$tmp/rec.data" 2>/dev/null | awk '
		/^history of pfn/ { on = 1; next }
		on && /^  [0-9]/ {
			match($0, /mm_page_(alloc|free)/)
			print "E " substr($0, RSTART, RLENGTH)
			next
		}
		on && /^    / { sub(/^ +/, ""); sub(/\/0x[0-9a-f]+( \[.*\])?$/, ""); print "F " $0; next }
		on { exit }' >>"$tmp/got"
done
frames=$(grep -c '^F ' "$tmp/want")
check "perf script names $frames kernel frames of $(grep -c '^E ' "$tmp/want") events, none [unknown]" \
	"[ '$frames' -ge 50 ] && ! grep -q 'F \[unknown\]' '$tmp/want'"
# Aliases (several names at one address: __do_sys_vfork, __x64_sys_vfork) are named as %pS
# names them, by the first in kallsyms; perf script prefers a global one. Compare such frames by
# address: a name printed by either side stands for its address when that name is unique.
awk '$2 ~ /^[tTwW]$/ { n[$3]++; a[$3] = $1 } END { for (s in n) if (n[s] == 1) print s, a[s] }' \
	/proc/kallsyms >"$tmp/addr"
by_address() {
	awk 'NR == FNR { addr[$1] = $2; next }
	     $1 == "F" { split($2, p, "+"); if (p[1] in addr) $2 = addr[p[1]] "+" p[2] }
	     { print }' "$tmp/addr" "$1"
}
diff <(by_address "$tmp/want") <(by_address "$tmp/got") >"$tmp/diff"
st=$?
check "the tool names those frames as perf script does" '[ $st -eq 0 ]'
[ $st -eq 0 ] || head -20 "$tmp/diff"

# --kallsyms: the running one fits; copies that do not are refused with the reason.
"$tool" --stats -q --kallsyms=/proc/kallsyms "$tmp/rec.data" >"$tmp/out" 2>"$tmp/err"
check "--kallsyms=/proc/kallsyms on this machine's recording: accepted, checked against the map" \
	"grep -q '^kallsyms: /proc/kallsyms (matches the recording.s kernel map; its text or modules hold all [0-9]* frames of the distinct stacks)$' '$tmp/out'"
shift_kallsyms /proc/kallsyms 0x200000 >"$tmp/shifted"
"$tool" --stats -q --kallsyms="$tmp/shifted" "$tmp/rec.data" >"$tmp/out" 2>"$tmp/err"
st=$?
check "a kallsyms of another KASLR slide: exit 2" '[ $st -eq 2 ]'
moved=$(printf '%x' $((16#$running_text + 0x200000)))
check "a kallsyms of another KASLR slide: the reason names both addresses" \
	"grep -q 'shifted: _text at 0x$moved, but the recording.s kernel map (\[kernel.kallsyms\]_text) starts at 0x0*$running_text: the kallsyms of another kernel or of another boot (KASLR)' '$tmp/err'"
check "a kallsyms of another KASLR slide: no report" '[ ! -s "$tmp/out" ]'
awk '$3 == "_etext" && !done { $1 = sprintf("%s", substr($1, 1, 12) "0000"); done = 1 } 1' \
	/proc/kallsyms >"$tmp/other_build"
"$tool" --stats -q --kallsyms="$tmp/other_build" "$tmp/rec.data" >"$tmp/out" 2>"$tmp/err"
st=$?
check "a kallsyms whose text ends elsewhere (another build): exit 2, says so" \
	"[ $st -eq 2 ] && grep -q 'other_build: its kernel text ends at 0x[0-9a-f]* (_etext), but the recording.s kernel map ends at 0x[0-9a-f]*: the kallsyms of another build' '$tmp/err'"
grep -vw _text /proc/kallsyms >"$tmp/no_text"
"$tool" --stats -q --kallsyms="$tmp/no_text" "$tmp/rec.data" >"$tmp/out" 2>"$tmp/err"
st=$?
check "a kallsyms without _text: exit 2, cannot be checked" \
	"[ $st -eq 2 ] && grep -q 'no_text: no _text symbol, so it cannot be checked' '$tmp/err'"

# The same build booted elsewhere (KASLR): the recording's kernel map moved by 0x200000, as a
# boot 2 MiB higher would have written it. The running symbols are moved by as much: a frame at
# address A is named by the running kernel's symbol at A - 0x200000.
python3 - "$tmp/rec.data" "$tmp/moved.data" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
at = data.find(b'[kernel.kallsyms]_text\0')
kind = 1 if struct.unpack_from('<I', data, at - 40)[0] == 1 else 10
base = at - (32 if kind == 1 else 64)	# the record's body: pid, tid, start, len, pgoff
for off in (8, 24):
	struct.pack_into('<Q', data, base + off, struct.unpack_from('<Q', data, base + off)[0] + 0x200000)
open(sys.argv[2], 'wb').write(data)
PY
"$tool" --stats -q "$tmp/moved.data" >"$tmp/out" 2>"$tmp/err"
check "the recorded boot elsewhere: the running kernel's symbols, moved, and the summary says so" \
	"grep -qx 'kallsyms: /proc/kallsyms, moved by 0x200000 (the running kernel: the recording.s build id, but booted elsewhere: _text at 0x0*$running_text here, 0x$moved in the recording.s kernel map; module frames print as addresses)' '$tmp/out'"
pfn=${pfns%%$'\n'*}
ip=$(awk -v pfn="pfn=$pfn" '/kmem:mm_page_alloc:/ { on = index($0, pfn " ") > 0; next }
	on && /\(\[kernel\.kallsyms\]\)$/ { print $1; exit }' "$tmp/script")
want=$(printf '%x' $((16#$ip - 0x200000)))
want=$(awk -v a="$want" 'BEGIN { a = sprintf("%016s", a); gsub(/ /, "0", a) }
	$2 ~ /^[TtWw]$/ && $1 <= a { name = $3 } $1 > a && name != "" { print name; exit }' \
	<(sort /proc/kallsyms))
"$tool" --stats -q --explain="$pfn" "$tmp/moved.data" 2>/dev/null >"$tmp/out"
got=$(awk '/^  [0-9].*mm_page_alloc/ { getline; sub(/^ +/, ""); sub(/\+.*/, ""); print; exit }' "$tmp/out")
check "the recorded boot elsewhere: frame 0x$ip is named $got, the running symbol 0x200000 below ($want)" \
	'[ -n "$want" ] && [ "$got" = "$want" ]'

# ---- A recording of another kernel (testdata p01): never the running kernel's names ----
other_id=$(perf buildid-list -i "$other" 2>/dev/null | awk '$2 == "[kernel.kallsyms]" { print $1 }')
other_release=$(perf report --header-only -i "$other" 2>/dev/null | sed -n 's/^# os release : //p')
if [ "$other_id" = "$running_id" ]; then
	echo "$me: note: $other was recorded on this very kernel ($running_id): its other-kernel cases are skipped"
else
	"$tool" --stats -q "$other" >"$tmp/out" 2>"$tmp/err"
	if [ "$other_release" = "$release" ]; then
		check "$other (same release $release, build id $other_id): says why it has no names" \
			"grep -q '^kallsyms: none (frames print as addresses: the running kernel has the recording.s release' '$tmp/out'"
	else
		check "$other (kernel $other_release, build id $other_id): no symbols" \
			"grep -qx 'kallsyms: none (frames print as addresses)' '$tmp/out'"
	fi
	opfn=$(perf script -i "$other" 2>/dev/null | grep -m1 -o 'kmem:mm_page_alloc: .*pfn=0x[0-9a-f]*' | sed 's/.*pfn=//')
	"$tool" --stats -q --explain="$opfn" "$other" >"$tmp/out" 2>/dev/null
	check "$other: the frames of pfn $opfn print as addresses" \
		"grep -qE '^    0xffffffff[0-9a-f]{8}$' '$tmp/out' && ! grep -qE '^    [a-z_]' '$tmp/out'"
	"$tool" --stats -q --kallsyms=/proc/kallsyms "$other" >"$tmp/out" 2>"$tmp/err"
	st=$?
	check "$other with --kallsyms=/proc/kallsyms: exit 2, another kernel by its build id" \
		"[ $st -eq 2 ] && grep -q 'the running kernel.s, whose build id is $running_id, but the recording.s kernel has build id $other_id' '$tmp/err'"
fi

# ---- trace.dat: no build id and no kernel map, so never the running kernel's ----
"$tool" --stats -q "$dat_nok" >"$tmp/out" 2>/dev/null
check "trace.dat without kallsyms: none, whatever kernel runs" \
	"grep -qx 'kallsyms: none (frames print as addresses)' '$tmp/out'"
if trace-cmd dump --kallsyms "$dat_k" 2>/dev/null | grep -E '^[0-9a-f]+ ' >"$tmp/dat.kallsyms" &&
	[ -s "$tmp/dat.kallsyms" ]; then
	"$tool" --stats -q --kallsyms="$tmp/dat.kallsyms" "$dat_nok" >"$tmp/out" 2>"$tmp/err"
	check "trace.dat with its machine's kallsyms: accepted, frames checked, no map to check" \
		"grep -q '^kallsyms: $tmp/dat.kallsyms (the recording has no kernel map to check it against; its text or modules hold all [0-9]* frames of the distinct stacks)$' '$tmp/out'"
	shift_kallsyms "$tmp/dat.kallsyms" 0x40000000 >"$tmp/dat.shifted"
	"$tool" --stats -q --kallsyms="$tmp/dat.shifted" "$dat_nok" >"$tmp/out" 2>"$tmp/err"
	st=$?
	check "trace.dat with a kallsyms of another KASLR slide: exit 2, the frames outside counted" \
		"[ $st -eq 2 ] && grep -q 'dat.shifted: [0-9]* of the recording.s [0-9]* kernel stack frames (the first 0xffffffff[0-9a-f]*) lie neither in its kernel text' '$tmp/err'"
else
	echo "$me: note: trace-cmd dump --kallsyms failed: the trace.dat --kallsyms cases are skipped"
fi
dat_release=$("$tool" --stats -q "$dat_nok" 2>/dev/null | sed -n 's/^kernel: Linux [^ ]* \([^ ]*\) .*/\1/p')
if [ -n "$dat_release" ] && [ "$dat_release" != "$release" ]; then
	"$tool" --stats -q --kallsyms=/proc/kallsyms "$dat_nok" >"$tmp/out" 2>"$tmp/err"
	st=$?
	check "trace.dat of $dat_release with --kallsyms=/proc/kallsyms ($release): exit 2, says so" \
		"[ $st -eq 2 ] && grep -q 'the running kernel.s, release $release, but the recording was made on $dat_release' '$tmp/err'"
else
	echo "$me: note: $dat_nok was made on this release ($release) or names none: its /proc/kallsyms case is skipped"
fi
finish "$me"
