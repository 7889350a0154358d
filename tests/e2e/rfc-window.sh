#!/bin/bash
# rfc-window.sh - a mid-life recording of the reference kernel with the checker's own hook calls
# (testdata/rfc/NAME.checker.dat): its replay finds exactly the violations the RFC checker
# counted over the recording (violations_detected of NAME.checker.stats-after minus
# NAME.checker.stats-before, the checker's stats read just before trace-cmd start and after
# trace-cmd extract), and the hook calls it replays are trace-cmd report's pc_update records.
#
# Usage: rfc-window.sh BIN NAME.checker.dat
set -uo pipefail
bin=$1 rec=$2
. "$(dirname "$0")/testlib.sh"
base=${rec%.dat}
name=$(basename "$base")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stat_of() { sed -n "s/^$1: //p" "$2" | head -1; }

before=$(stat_of violations_detected "$base.stats-before")
after=$(stat_of violations_detected "$base.stats-after")
check "$name: the checker's stats before and after the recording" \
	'[[ "$before" =~ ^[0-9]+$ && "$after" =~ ^[0-9]+$ ]]'
"$bin" --stats --allow-lost "$rec" > "$tmp/out" 2> "$tmp/err"
check "$name: replay ran ($(head -c 300 "$tmp/err"))" '[ -s "$tmp/out" ]'
check "$name: replayed the hook calls" \
	'grep -q "^replayed: the RFC checker.s hook calls" "$tmp/out"'
got=$(stat_of violations_detected "$tmp/out")
check "$name: violations_detected $got, the checker counted $((after - before))" \
	'[ "$got" = "$((after - before))" ]'
oracle_alloc=$(trace-cmd report "$rec" 2> /dev/null | grep -c ' pc_update: .* op=alloc ')
oracle_free=$(trace-cmd report "$rec" 2> /dev/null | grep -c ' pc_update: .* op=free ')
check "$name: events_checker_alloc is trace-cmd's $oracle_alloc" \
	'[ "$(stat_of events_checker_alloc "$tmp/out")" = "$oracle_alloc" ]'
check "$name: events_checker_free is trace-cmd's $oracle_free" \
	'[ "$(stat_of events_checker_free "$tmp/out")" = "$oracle_free" ]'
finish "rfc-window $name"
