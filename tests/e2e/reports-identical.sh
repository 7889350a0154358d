#!/bin/bash
# reports-identical.sh - every report on every recording stays byte-identical to its golden copy.
#
# Usage: reports-identical.sh [--update] BINARY GOLDEN_DIR DATA_DIR GLOB...
#   PCR_REPORTS_ROTATE=1 (set for the sanitizer build by tests/e2e/CMakeLists.txt): recording N
#   of the sorted list runs only option set N mod 7 and is compared with that part of its golden
#   file, so every option set and every recording still runs under the sanitizers, in a seventh
#   of the processes (the -Werror build compares every report).
#
# Runs BINARY over every recording that the GLOBs (relative to DATA_DIR, e.g. '*.dat' 'rfc/*.dat')
# match, once per option set below (the default text report; text with every block and
# counter; the kernel model with the validate scan, JSON, KTAP, JUnit, and JSON of a run judged in spite of loss or damage), from inside
# DATA_DIR so that the recording's name, not the clone's path, is in the report. Standard output,
# standard error and the exit status of all runs of one recording are one golden file,
# GOLDEN_DIR/NAME.out (slashes in NAME become '+'), gzip-compressed as NAME.out.gz when over
# 64 KiB. Fails on any difference, on a recording without a golden file and on a golden file
# without its recording (nothing is skipped silently); exit 77 (CTest skip) when DATA_DIR holds
# no recording at all.
#
# --update writes the golden files from BINARY instead (a deliberate change of a report, e.g. a
# new verdict rule): run 'tests/e2e/update-goldens.sh BUILD_DIR', review 'git diff', commit.
# JOBS (default 2) recordings are replayed at once.
set -uo pipefail

update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
bin=$(realpath "$1")
golden=$2
data=$3
shift 3
jobs=${JOBS:-2}
[ -d "$data" ] || { echo "no folder $data"; exit 77; }

# Each option set is one run; the golden file keeps them in this order.
option_sets=(
	""
	"--stats --show-explained --show-undecidable --examples=all"
	"--stats --show-explained --model=kernel --validate"
	"--format=json"
	"--format=ktap"
	"--format=junit"
	"--format=json --model=kernel --allow-lost --allow-damaged"
)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/reports.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

recordings=()
for glob in "$@"; do
	# shellcheck disable=SC2086
	for path in $(cd "$data" && ls -d $glob 2>/dev/null); do
		[ -f "$data/$path" ] && recordings+=("$path")
	done
done
[ ${#recordings[@]} -gt 0 ] || { echo "no recording matches '$*' in $data"; exit 77; }

# run_one INDEX NAME: the option sets on DATA_DIR/NAME into $tmp/KEY.out: all, or under
# PCR_REPORTS_ROTATE the one of its turn (INDEX, its place in the list).
run_one() {
	local name=$2 key opts set sets
	sets=$(seq 0 $((${#option_sets[@]} - 1)))
	[ "${PCR_REPORTS_ROTATE:-0}" != 1 ] || sets=$(($1 % ${#option_sets[@]}))
	key=${name//\//+}
	for set in $sets; do
		opts=${option_sets[set]}
		echo "### pagecheck-replay $opts $name"
		# shellcheck disable=SC2086
		(cd "$data" && "$bin" $opts "$name" 2>"$tmp/$key.err")
		echo "### exit $?"
		echo "### stderr"
		# Under ASan a report names the process: the pid is not the tool's output.
		sed 's/^==[0-9]*==/==PID==/' "$tmp/$key.err"
	done >"$tmp/$key.out"
	rm -f "$tmp/$key.err"
}
[ "${PCR_REPORTS_ROTATE:-0}" != 1 ] || [ $update -eq 0 ] ||
	{ echo "reports-identical: --update writes whole golden files: unset PCR_REPORTS_ROTATE"; exit 2; }
export -f run_one
export bin data tmp
export option_sets_text
option_sets_text=$(printf '%s\n' "${option_sets[@]}")
# Bash cannot export arrays: the workers rebuild the list from its text.
for i in "${!recordings[@]}"; do
	printf '%s\0%s\0' "$i" "${recordings[i]}"
done | xargs -0 -n2 -P "$jobs" bash -c \
	'mapfile -t option_sets <<<"$option_sets_text"; run_one "$1" "$2"' run_one

fails=0
checked=0
golden_of() {
	if [ -f "$golden/$1.out.gz" ]; then
		gzip -dc "$golden/$1.out.gz"
	elif [ -f "$golden/$1.out" ]; then
		cat "$golden/$1.out"
	else
		return 1
	fi
}
mkdir -p "$golden"
for name in "${recordings[@]}"; do
	key=${name//\//+}
	if [ $update -eq 1 ]; then
		rm -f "$golden/$key.out" "$golden/$key.out.gz"
		if [ "$(stat -c %s "$tmp/$key.out")" -gt 65536 ]; then
			gzip -9n <"$tmp/$key.out" >"$golden/$key.out.gz"
		else
			cp "$tmp/$key.out" "$golden/$key.out"
		fi
		checked=$((checked + 1))
		continue
	fi
	if ! golden_of "$key" >"$tmp/$key.golden.all"; then
		echo "FAIL: $name has no golden file $golden/$key.out[.gz] (tests/e2e/update-goldens.sh)"
		fails=$((fails + 1))
		continue
	fi
	if [ "${PCR_REPORTS_ROTATE:-0}" = 1 ]; then
		# The part of the golden file that begins with this run's header line.
		head -1 "$tmp/$key.out" >"$tmp/$key.header"
		awk -v first="$(cat "$tmp/$key.header")" '
			$0 == first { on = 1; print; next }
			on && /^### pagecheck-replay / { on = 0 }
			on' "$tmp/$key.golden.all" >"$tmp/$key.golden"
	else
		mv "$tmp/$key.golden.all" "$tmp/$key.golden"
	fi
	checked=$((checked + 1))
	if ! cmp -s "$tmp/$key.golden" "$tmp/$key.out"; then
		echo "FAIL: $name: the reports differ from $golden/$key.out[.gz]:"
		diff -u "$tmp/$key.golden" "$tmp/$key.out" | head -40
		fails=$((fails + 1))
	fi
done
# A golden file whose recording is gone would otherwise never be compared again.
for file in "$golden"/*.out "$golden"/*.out.gz; do
	[ -f "$file" ] || continue
	key=$(basename "$file")
	key=${key%.gz}
	key=${key%.out}
	name=${key//+//}
	case " ${recordings[*]} " in
	*" $name "*) ;;
	*)
		if [ $update -eq 1 ]; then
			rm -f "$file"
		else
			echo "FAIL: golden file $file has no recording $data/$name"
			fails=$((fails + 1))
		fi
		;;
	esac
done
if [ $update -eq 1 ]; then
	echo "reports-identical: $checked golden files written to $golden"
	exit 0
fi
per=${#option_sets[@]}
[ "${PCR_REPORTS_ROTATE:-0}" != 1 ] || per="1 in turn of ${#option_sets[@]}"
echo "reports-identical $data: $((checked - fails)) recordings identical ($per reports each), $fails failed"
[ $fails -eq 0 ]
