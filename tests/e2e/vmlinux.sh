#!/bin/bash
# vmlinux.sh - --vmlinux and --modules-dir end to end, on ELF files of our own with DWARF
# (tests/debuginfo): a fake vmlinux with a call inside two levels of inlined functions, other
# builds of it, and a fake module pcr_fault.
#
# The recording is perf script text with one page allocated, then freed twice, each free's stack
# three frames: the return address the fake vmlinux printed when run (inside pcr_outer, in the
# inlined pcr_inner), the one the module's runner printed (inside pcr_fault_trigger, in the inlined
# pcr_fault_inner), and fk_38+0x4. --kallsyms is nm's listing of the fake vmlinux moved by a
# KASLR-like 0xffffffff80c00000 (printed as -0x7f400000, a signed 64-bit number), and of the
# module at 0xffffffffc0a00000. Expected lines come
# from the "L:" markers of the sources (grep), not from the tool's own reading of the DWARF:
# - the traced build: the whole inline chain, innermost first, and the module's frame from its
#   debug file under --modules-dir; without --modules-dir the module's frame says it has none;
# - another build of the module, or a stripped one: the module's frame marked;
# - another build whose functions all moved by amounts of their own: refused, exit 2; so is a
#   vmlinux that has none of the frames' functions;
# - a build where only fk_37..fk_39 moved: accepted, fk_38's frame marked, the others resolved;
# - kallsyms without module names: the module's frame marked as outside the vmlinux;
# - every frame is looked up at its return address minus one (README "Source lines").
#
# - with the shared recordings: a real trace.dat (another release) refused by its uname, a real
#   perf.data by the kernel build id it lists.
#
# Usage: vmlinux.sh BINARY DEBUGINFO_BUILD_DIR DEBUGINFO_SOURCE_DIR [SHARED_TESTDATA_DIR]
set -uo pipefail

bin=$1
build=$2
src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/testlib.sh"

command -v nm >/dev/null || { echo "nm (binutils) is not installed"; exit 77; }

kaslr=0xffffffff80c00000
modbase=0xffffffffc0a00000

# kallsyms ELF OFFSET [MODULE]: nm's text symbols of ELF as /proc/kallsyms lines, moved by OFFSET.
kallsyms() {
	nm -n "$1" | while read -r addr type name; do
		case $type in t | T | w | W) ;; *) continue ;; esac
		printf '%016x %s %s%s\n' $((0x$addr + $2)) "$type" "$name" "${3:+	[$3]}"
	done
}

# marker FILE TAG: the line of FILE that holds "L:TAG".
marker() {
	grep -n "L:$2 " "$1" | cut -d: -f1
}

# The return addresses, from the programs themselves.
read -r fn ret_outer < <("$build/pcr_fake_vmlinux")
check "fake vmlinux reports its return address" '[ "$fn" = pcr_outer ]'
read -r fn ret_mod < <("$build/pcr_fake_module_runner")
check "module runner reports its return address" '[ "$fn" = pcr_fault_trigger ]'
outer=$(nm "$build/pcr_fake_vmlinux" | awk '$3 == "pcr_outer" { print $1 }')
fk38=$(nm "$build/pcr_fake_vmlinux" | awk '$3 == "fk_38" { print $1 }')
trigger=$(nm "$build/modules/extra/pcr_fault.ko" | awk '$3 == "pcr_fault_trigger" { print $1 }')

{
	kallsyms "$build/pcr_fake_vmlinux" $kaslr
	kallsyms "$build/modules/extra/pcr_fault.ko" $modbase pcr_fault
	# Another module after it, as in /proc/kallsyms: pcr_fault's last function has a size.
	printf '%016x t other_fn\t[other]\n' $((modbase + 0x100000))
} >"$tmp/kallsyms"

frame_outer=$(printf '%016x' $((0x$outer + kaslr + ret_outer)))
frame_mod=$(printf '%016x' $((0x$trigger + modbase + ret_mod)))
frame_fk=$(printf '%016x' $((0x$fk38 + kaslr + 4)))
stack=$(printf '\t%s [unknown] ([kernel.kallsyms])\n\t%s [unknown] ([pcr_fault])\n\t%s [unknown] ([kernel.kallsyms])\n' \
	"$frame_outer" "$frame_mod" "$frame_fk")
# The page is allocated first: a recording of frees alone is judged damaged (inconclusive).
{
	printf 'wl 100 [000]    10.000000050:        kmem:mm_page_alloc: page=0x1000 pfn=0x1000 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n\n'
	printf 'wl 100 [000]    10.000000100:        kmem:mm_page_free: page=0x1000 pfn=0x1000 order=0\n%s\n\n' "$stack"
	printf 'wl 100 [000]    10.000000200:        kmem:mm_page_free: page=0x1000 pfn=0x1000 order=0\n%s\n\n' "$stack"
} >"$tmp/rec.txt"

fk=$src/fake_kernel.c
mod=$src/fake_module.c
replay() {
	"$bin" --stats --strict --max-reports=1 --input-format=text --kallsyms="$tmp/kallsyms" "$@" \
		"$tmp/rec.txt" >"$tmp/out" 2>"$tmp/err"
	echo $? >"$tmp/status"
}

# The traced build, with the module's debug file.
replay --vmlinux="$build/pcr_fake_vmlinux" --modules-dir="$build/modules"
check "traced build: exit 1 (a double free)" '[ "$(cat "$tmp/status")" = 1 ]'
inner="    pcr_inner (.*fake_kernel.c:$(marker "$fk" inner)) \[inlined\]"
middle="    pcr_middle (.*fake_kernel.c:$(marker "$fk" middle)) \[inlined\]"
outer_line="    pcr_outer+0x$(printf '%x' $((ret_outer)))/0x[0-9a-f]* (.*fake_kernel.c:$(marker "$fk" outer))"
# The first stack of the block: the inline chain, innermost first, then the frame.
awk '/^  stack of this free:/ { on = 1; next } /^  [a-z]/ { on = 0 } on' "$tmp/out" >"$tmp/stack"
check "traced build: inline chain innermost first" \
	'grep -A2 "^    pcr_inner " "$tmp/stack" | sed -n 1p | grep -q "^$inner\$" &&
	 grep -A2 "^    pcr_inner " "$tmp/stack" | sed -n 2p | grep -q "^$middle\$" &&
	 grep -A2 "^    pcr_inner " "$tmp/stack" | sed -n 3p | grep -q "^$outer_line\$"'
minner="    pcr_fault_inner (.*fake_module.c:$(marker "$mod" module-inner)) \[inlined\]"
mouter="    pcr_fault_trigger+0x$(printf '%x' $((ret_mod)))/0x[0-9a-f]* \[pcr_fault\] (.*fake_module.c:$(marker "$mod" module-outer))"
check "traced build: module frame from its debug file, with its inline chain" \
	'grep -A1 "^    pcr_fault_inner " "$tmp/stack" | sed -n 1p | grep -q "^$minner\$" &&
	 grep -A1 "^    pcr_fault_inner " "$tmp/stack" | sed -n 2p | grep -q "^$mouter\$"'
check "traced build: fk_38 resolved" 'grep -q "^    fk_38+0x4/0x10 (.*fake_kernel.c:[0-9]*)$" "$tmp/stack"'
check "traced build: summary names the relocation" \
	'grep -q "^vmlinux: .*pcr_fake_vmlinux (relocated by -0x7f400000; [0-9]* of [0-9]* functions where the kallsyms has them)$" "$tmp/out"'
check "traced build: nothing on stderr" '[ ! -s "$tmp/err" ]'

# Every frame at its return address minus one: the line addr2line gives there, the first frame
# included (not the line of the return address itself, which is the next statement's).
if command -v addr2line >/dev/null; then
	want=$(addr2line -e "$build/pcr_fake_vmlinux" $(printf '0x%x' $((0x$outer + ret_outer - 1))))
	check "return address minus one: addr2line's line, the first frame too" \
		'[ "${want##*:}" = "$(marker "$fk" inner)" ]'
fi

# The same without the module's debug file: the frame says so, stderr names the module.
replay --vmlinux="$build/pcr_fake_vmlinux" --modules-dir="$tmp"
check "no module debug file: frame marked" \
	'grep -q "^    pcr_fault_trigger+0x[0-9a-f]*/0x[0-9a-f]* \[pcr_fault\] (no line: no debug file of module pcr_fault found)$" "$tmp/out"'
check "no module debug file: stderr names the module and the directory" \
	'grep -q "note: no readable debug file of module pcr_fault (pcr_fault.ko or pcr_fault.ko.debug) under $tmp" "$tmp/err"'
check "no module debug file: the vmlinux frames still resolve" 'grep -q "^$inner\$" "$tmp/out"'

# Another build of the module: its pcr_fault_sink grew, the functions after it moved; the frame
# is marked, the vmlinux's frames keep their lines.
replay --vmlinux="$build/pcr_fake_vmlinux" --modules-dir="$build/modules-other"
check "other module build: frame marked" \
	'grep -q "^    pcr_fault_trigger+0x[0-9a-f]*/0x[0-9a-f]* \[pcr_fault\] (no line: $build/modules-other/extra/pcr_fault.ko has no pcr_fault_trigger at this place: another build)$" "$tmp/out"'
check "other module build: vmlinux frames resolved" 'grep -q "^$inner\$" "$tmp/out"'

# A stripped module (as /lib/modules holds them): found, but no lines; the frame says so.
if command -v strip >/dev/null; then
	mkdir -p "$tmp/stripped/extra"
	strip --strip-debug -o "$tmp/stripped/extra/pcr_fault.ko" "$build/modules/extra/pcr_fault.ko"
	replay --vmlinux="$build/pcr_fake_vmlinux" --modules-dir="$tmp/stripped"
	check "stripped module: frame marked" \
		'grep -q "^    pcr_fault_trigger+0x[0-9a-f]*/0x[0-9a-f]* \[pcr_fault\] (no line: no debug info elfutils can read in $tmp/stripped/extra/pcr_fault.ko)$" "$tmp/out"'
fi

# kallsyms that name no module (as libtraceevent reads a recording's own): the module's frame
# lies outside the vmlinux; it says so, and stderr says how to name its module.
sed 's/\t\[.*\]$//' "$tmp/kallsyms" >"$tmp/kallsyms.nomod"
"$bin" --stats --strict --max-reports=1 --input-format=text --kallsyms="$tmp/kallsyms.nomod" \
	--vmlinux="$build/pcr_fake_vmlinux" --modules-dir="$build/modules" "$tmp/rec.txt" \
	>"$tmp/out" 2>"$tmp/err"
check "unnamed module: frame marked as outside the vmlinux" \
	'grep -q "^    pcr_fault_trigger+0x[0-9a-f]*/0x[0-9a-f]* (no line: not in the vmlinux; a module.s, unnamed by the kallsyms)$" "$tmp/out"'
check "unnamed module: stderr says to pass kallsyms that name modules" \
	'grep -q "note: 2 frames printed are outside .*pcr_fake_vmlinux and the recording.s kallsyms name no module for them" "$tmp/err"'

# Another build: every fk_N after fk_0 moved by its own amount. Refused before any output.
replay --vmlinux="$build/pcr_fake_vmlinux_other_build" --modules-dir="$build/modules"
check "other build: exit 2" '[ "$(cat "$tmp/status")" = 2 ]'
check "other build: says how it knows" \
	'grep -q "pcr_fake_vmlinux_other_build: not the traced kernel.s vmlinux: relocated by -0x7f400000 (proposed by [0-9]* of [0-9]* stack frames), only [0-9]* of its [0-9]* functions are where the recording.s kallsyms has them" "$tmp/err"'
check "other build: no report printed" '[ ! -s "$tmp/out" ]'

# kallsyms of another kernel altogether: no function of the frames is in the vmlinux. Refused.
sed 's/ \([tTwW]\) / \1 x_/' "$tmp/kallsyms" >"$tmp/kallsyms.other"
"$bin" --stats --strict --max-reports=1 --input-format=text --kallsyms="$tmp/kallsyms.other" \
	--vmlinux="$build/pcr_fake_vmlinux" "$tmp/rec.txt" >"$tmp/out" 2>"$tmp/err"
status=$?
check "no function in common: exit 2" '[ "$status" = 2 ]'
check "no function in common: says so" \
	'grep -q "pcr_fake_vmlinux: not the traced kernel.s vmlinux: none of the functions of the 2 stack frames the recording.s kallsyms name is in it" "$tmp/err"'

# A build where only fk_37..fk_39 moved: accepted, the moved function's frame marked.
replay --vmlinux="$build/pcr_fake_vmlinux_late_change" --modules-dir="$build/modules"
check "late change: exit 1" '[ "$(cat "$tmp/status")" = 1 ]'
check "late change: fk_38 marked" \
	'grep -q "^    fk_38+0x4/0x10 (no line: the vmlinux has no fk_38 at this place: another build)$" "$tmp/out"'
check "late change: pcr_outer still resolved" 'grep -q "^$inner\$" "$tmp/out"'

# A real recording of another kernel (../shared/testdata/s08, 6.18.44, with stacks and kallsyms):
# the fake vmlinux's release is not the recording's: refused, naming both.
s08=${4:-}/s08_thp_compact_stack_v7zstd.dat
if [ -n "${4:-}" ] && [ -f "$s08" ]; then
	recorded=$("$bin" --stats -q "$s08" 2>/dev/null | awk '$1 == "kernel:" { print $4 }')
	# At the first violation block, on one thread and on two: the trace.dat reader goes on
	# after the refusal, and no later block may be printed either.
	for threads in 1 2; do
		"$bin" --stats --strict --threads=$threads --vmlinux="$build/pcr_fake_vmlinux" "$s08" \
			>"$tmp/out" 2>"$tmp/err"
		status=$?
		check "other release ($threads threads): exit 2" '[ "$status" = 2 ]'
		check "other release ($threads threads): both releases named" \
			'grep -q "pcr_fake_vmlinux: built as Linux 6.18.0-pcr-test (its linux_banner), but the recording was made on $recorded (its uname)" "$tmp/err"'
		check "other release ($threads threads): nothing printed" '[ ! -s "$tmp/out" ]'
	done
fi

# A perf.data lists its kernel's build id (../shared/testdata/p01): the fake vmlinux's differs,
# refused naming both, as perf buildid-list and readelf show them.
p01=${4:-}/p01_small_g.perf.data
if [ -n "${4:-}" ] && [ -f "$p01" ] && command -v perf >/dev/null && command -v readelf >/dev/null
then
	recorded=$(perf buildid-list -i "$p01" 2>/dev/null | awk '$2 == "[kernel.kallsyms]" { print $1 }')
	built=$(readelf -n "$build/pcr_fake_vmlinux" | awk '/Build ID:/ { print $3 }')
	"$bin" --stats -q --vmlinux="$build/pcr_fake_vmlinux" "$p01" >"$tmp/out" 2>"$tmp/err"
	status=$?
	check "other build id: exit 2" '[ "$status" = 2 ]'
	check "other build id: both ids named" \
		'[ -n "$recorded" ] && [ -n "$built" ] &&
		 grep -q "pcr_fake_vmlinux: build id $built, but the recording.s kernel has build id $recorded" "$tmp/err"'
fi

finish vmlinux
