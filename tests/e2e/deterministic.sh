#!/bin/bash
# deterministic.sh - the same recording must give byte-identical reports, run after run.
#
# Usage: deterministic.sh BINARY RECORDING...
set -uo pipefail

bin=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checked=0
for rec in "$@"; do
	[ -f "$rec" ] || continue
	for opts in "" "--model=kernel --validate" "--format=json" "--format=ktap" "--format=junit"; do
		# shellcheck disable=SC2086
		"$bin" $opts "$rec" >"$tmp/a" 2>&1
		# shellcheck disable=SC2086
		"$bin" $opts "$rec" >"$tmp/b" 2>&1
		if ! cmp -s "$tmp/a" "$tmp/b"; then
			echo "FAIL: two runs of '$opts $rec' differ:"
			diff "$tmp/a" "$tmp/b" | head -20
			exit 1
		fi
		checked=$((checked + 1))
	done
done
[ "$checked" -gt 0 ] || { echo "no recording found"; exit 77; }
echo "deterministic: $checked passed, 0 failed"
