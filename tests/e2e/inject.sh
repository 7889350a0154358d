#!/bin/bash
# inject.sh - every fault kind injected into a real recording is found, at the right time, and
# attributed to the injection. The page and times come from trace-cmd report, not from the
# tool: an order-0 page that a higher-order event never covers, with an alloc at T1, its free
# at T2 and its next alloc at T3. Then:
#   double-alloc between T1 and T2  -> DOUBLE-ALLOC at that time (the page is allocated)
#   double-free  between T2 and T3  -> DOUBLE-FREE at that time (the page is free)
#   flip-primary between T1 and T2  -> INVARIANT at T2, the page's next event
#   flip-secondary between T2 and T3 -> INVARIANT at T3
#   flip-primary of a page no event touches -> only the validate scan sees it
# and the campaign runs and is reproducible for a seed.
#
# Usage: inject.sh BINARY RECORDING
set -uo pipefail

bin=$1
rec=$2
[ -f "$rec" ] || { echo "no recording $rec"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/testlib.sh"

# "T1 T2 T3 PFN" in whole nanoseconds, from the raw report (timestamps with -t).
trace-cmd report -t -R "$rec" 2>/dev/null | gawk '
/ mm_page_(alloc|free): / {
	match($0, /\] +[0-9]+\.[0-9]+: /)
	ts = substr($0, RSTART + 1, RLENGTH - 3); gsub(/ /, "", ts)
	split(ts, p, ".")
	ns = p[1] * 1000000000 + p[2]
	ev = $0 ~ / mm_page_alloc: / ? "A" : "F"
	match($0, /pfn=0x[0-9a-f]+/); pfn = strtonum(substr($0, RSTART + 4, RLENGTH - 4))
	match($0, /order=[0-9]+/); order = substr($0, RSTART + 6, RLENGTH - 6) + 0
	if (pfn == 18446744073709551615) next
	if (order > 0) {
		for (i = 0; i < 2 ^ order; i++) big[pfn + i] = 1
		next
	}
	seq[pfn] = seq[pfn] ev; when[pfn] = when[pfn] " " ns
}
END {
	for (pfn in seq) {
		if (pfn in big) continue
		n = index(seq[pfn], "AFA")
		if (!n) continue
		split(when[pfn], t, " ")
		printf "%d %d %d %d\n", t[n], t[n + 1], t[n + 2], pfn
		exit
	}
}' >"$tmp/page"
read -r t1 t2 t3 pfn <"$tmp/page" || { echo "no suitable page in $rec"; exit 77; }
hex=$(printf '0x%x' "$pfn")
secs() { printf '%d.%09d' $(($1 / 1000000000)) $(($1 % 1000000000)); }
mid12=$(( (t1 + t2) / 2 ))
mid23=$(( (t2 + t3) / 2 ))

# expect_block SPEC KIND AT: the block of KIND at time AT names the injection SPEC.
expect_block() {
	local spec=$1 kind=$2 at=$3
	"$bin" --stats --show-undecidable --examples=all --inject="$spec" "$rec" >"$tmp/out" 2>/dev/null
	awk -v head="$kind at $at " -v spec="  injected: $spec" '
		index($0, head) == 1 { inblock = 1; next }
		/^$/ { inblock = 0 }
		inblock && $0 == spec { found = 1 }
		END { exit !found }' "$tmp/out"
}

check "double-alloc of $hex at $(secs $mid12): DOUBLE-ALLOC there" \
	'expect_block "double-alloc:$hex@$(secs $mid12)" DOUBLE-ALLOC "$(secs $mid12)"'
check "double-free of $hex at $(secs $mid23): DOUBLE-FREE there" \
	'expect_block "double-free:$hex@$(secs $mid23)" DOUBLE-FREE "$(secs $mid23)"'
check "flip-primary of $hex at $(secs $mid12): INVARIANT at its next event $(secs $t2)" \
	'expect_block "flip-primary:$hex@$(secs $mid12)" INVARIANT "$(secs $t2)"'
check "flip-secondary of $hex at $(secs $mid23): INVARIANT at its next event $(secs $t3)" \
	'expect_block "flip-secondary:$hex@$(secs $mid23)" INVARIANT "$(secs $t3)"'
"$bin" --stats --show-undecidable --examples=all --inject="double-alloc:$hex@$(secs $mid12)" "$rec" >"$tmp/stack" 2>/dev/null
check "the injected event carries its one-frame stack and signature" \
	'grep -qx "    pagecheck_inject_double_alloc+0x0/0x1" "$tmp/stack" &&
	 grep -qx "  signature: pagecheck_inject_double_alloc" "$tmp/stack"'
"$bin" --stats --show-undecidable --examples=all --quiet --validate --inject="flip-primary:0x10@$(secs $t1)" "$rec" >"$tmp/validate" 2>/dev/null
check "a flip on a page no event touches: only the validate scan sees it, attributed" \
	'grep -qx "INVARIANT in the validate scan: word of pfns 0x0-0x3f; injected: flip-primary:0x10@$(secs $t1)" "$tmp/validate" &&
	 grep -qx "validate_inconsistent_words: 1" "$tmp/validate"'
# Every format renders the same block: the injection is named in JSON and KTAP too (issue 15).
spec="double-free:$hex@$(secs $mid23)"
"$bin" --format=json --inject="$spec" "$rec" >"$tmp/json" 2>/dev/null
"$bin" --format=ktap --inject="$spec" "$rec" >"$tmp/ktap" 2>/dev/null
check "JSON names the injection of its violation, KTAP's block does too" \
	'grep -qF "\"injected\": \"$spec\"" "$tmp/json" && grep -qxF "#   injected: $spec" "$tmp/ktap"'
check "a bad spec is a usage error" \
	'"$bin" --stats --show-undecidable --examples=all --inject=double-alloc:0x10 "$rec" >/dev/null 2>&1; [ $? = 2 ]'

"$bin" inject-campaign --faults=20 --seed=7 "$rec" >"$tmp/c1" 2>&1
"$bin" inject-campaign --faults=20 --seed=7 "$rec" >"$tmp/c2" 2>&1
check "the campaign prints a row per fault kind and is the same for the same seed" \
	'cmp -s "$tmp/c1" "$tmp/c2" && [ "$(grep -cE "^(double-alloc|double-free|flip-primary|flip-secondary) +20 " "$tmp/c1")" = 4 ]'

finish inject
