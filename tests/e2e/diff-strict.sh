#!/bin/bash
# diff-strict.sh - 'diff --strict' judges a saved --format=json report as it judges the
# recording itself (issue 15): the saved report's explained and undecidable candidates are
# re-gated, by their stack signatures, not kept as the saved run classified them. The truth is
# the recording's own --strict run, compared with itself.
#
# Usage: diff-strict.sh BINARY RECORDING (one with explained or undecidable candidates)
set -uo pipefail

bin=$1
rec=$2
[ -f "$rec" ] || { echo "no $rec"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/testlib.sh"

"$bin" --format=json "$rec" >"$tmp/saved.json" 2>/dev/null
"$bin" --format=json --strict "$rec" >"$tmp/strict.json" 2>/dev/null
"$bin" diff --strict "$rec" "$rec" >"$tmp/truth" 2>/dev/null
echo $? >"$tmp/truth.rc"
"$bin" diff --strict "$tmp/saved.json" "$rec" >"$tmp/saved" 2>/dev/null
echo $? >"$tmp/saved.rc"

# The rows' signatures, as a --strict run counts them all.
sigs() { grep -o '"signature": "[^"]*"' "$1" | sort -u; }
check "the saved report has candidates that are not violations (else this tests nothing)" \
	'grep -q "\"class\": \"explained\"\|\"class\": \"undecidable\"" "$tmp/saved.json"'
check "its explained and undecidable rows carry the stack signatures a --strict run counts" \
	'[ "$(sigs "$tmp/saved.json")" = "$(sigs "$tmp/strict.json")" ]'
check "diff --strict SAVED.json RECORDING finds the signatures RECORDING RECORDING does" \
	'[ "$(grep "^signature_" "$tmp/saved")" = "$(grep "^signature_" "$tmp/truth")" ] &&
	 grep -qx "new_signatures: 0" "$tmp/saved"'
check "and exits as it does (got $(cat "$tmp/saved.rc"), expected $(cat "$tmp/truth.rc"))" \
	'[ "$(cat "$tmp/saved.rc")" = "$(cat "$tmp/truth.rc")" ]'

finish diff-strict
